// CPU profiles of a steady state only: the first SIGUSR2 starts V8's sampling profiler in this process, the next one
// stops it and writes `<dir>/gateway-<n>.cpuprofile` (Chrome DevTools format; summarize it with profile-summary.ts).
// `node --cpu-prof` would also record start-up — compiling the specs' validators — and the warm-up.
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/** The sampling interval of `node --cpu-prof` (its default). */
const SAMPLING_INTERVAL_US = 1_000;

export function profileOnSignal(dir: string, onWritten: (file: string) => void): void {
  fs.mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US }, () =>
          session.post('Profiler.start'),
        ),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) throw error;
      written += 1;
      const file = path.join(dir, `gateway-${process.pid}-${written}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
      onWritten(file);
    });
  });
}
