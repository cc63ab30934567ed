// Sends bytes recorded earlier to a server exactly as they are, over a fresh TCP connection, and reads the status
// of the answer: to show what the gateway does with a request sent twice, signature and nonce included.
import net from 'node:net';
import { MessageFramer } from './http-framing';

export function sendRawRequest(url: string, request: Buffer): Promise<{ status: number }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(target.port), target.hostname);
    const framer = new MessageFramer('response', {
      onMessage({ head }) {
        socket.destroy();
        resolve({ status: Number(head.startLine.split(' ')[1]) });
      },
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('the connection closed before a whole answer arrived')));
    socket.write(request);
  });
}
