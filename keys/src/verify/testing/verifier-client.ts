// The parent's side of testing/verifier-process.ts: forks a second gateway-like process that verifies API keys
// against the same store and Redis, and asks it to verify keys over IPC (the cross-process revocation tests).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { VerifierProcessOptions } from './verifier-process';

export type { VerifierProcessOptions };

const CHILD = path.join(__dirname, 'verifier-process.ts');

export class VerifierProcess {
  private next = 0;
  private readonly waiting = new Map<number, (outcome: string) => void>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; outcome?: string }) => {
      if (m.id !== undefined) this.waiting.get(m.id)?.(m.outcome!);
    });
  }

  static async start(options: VerifierProcessOptions): Promise<VerifierProcess> {
    const child = fork(CHILD, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`verifier process exited with ${code}`)));
    });
    return new VerifierProcess(child);
  }

  verify(key: string): Promise<string> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ id, verify: key });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ stop: true });
    await exited;
  }
}
