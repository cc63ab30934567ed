// The processes a gateway benchmark starts (backend, gateway) and how they talk to it: the parent forks a TypeScript
// entry point with its output in a log file (never the terminal), pins it to CPUs, waits for its URL over IPC and
// later asks it for its CPU time; the child announces itself and stops cleanly on SIGTERM or when the parent goes.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface BenchChild {
  name: string;
  pid: number;
  /** The origin the child listens on. */
  url: string;
  logFile: string;
  /** process.cpuUsage() inside the child (user + system µs since it started). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  stop(): Promise<void>;
}

type ChildMessage = { type: 'ready'; url: string } | { type: 'cpu'; id: number; usage: NodeJS.CpuUsage };

/** Start-up includes compiling the specs' validators and migrating a store: seconds, not minutes. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startChild(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** taskset CPU list (`0`, `1`, `0-1`); undefined leaves placement to the scheduler. */
  cpus: string | undefined;
}): Promise<BenchChild> {
  const log = fs.openSync(options.logFile, 'a');
  const child = fork(options.script, [], {
    execArgv: ['--import', 'tsx'],
    env: options.env,
    stdio: ['ignore', log, log, 'ipc'],
  });
  fs.closeSync(log);
  const pid = child.pid!;
  if (options.cpus !== undefined) pinToCpus(pid, options.cpus);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not start within ${READY_TIMEOUT_MS / 1000} s`),
      READY_TIMEOUT_MS,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      cleanup();
      resolve(message.url);
    };
    const onExit = (code: number | null) => fail(`exited (code ${code}) before it was ready`);
    function cleanup() {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    }
    function fail(why: string) {
      cleanup();
      child.kill('SIGKILL');
      reject(
        new Error(
          `${options.name} ${why}; its log (${options.logFile}) ends with:\n${tail(options.logFile)}`,
        ),
      );
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });

  let nextId = 0;
  return {
    name: options.name,
    pid,
    url,
    logFile: options.logFile,
    cpuUsage: () => askCpuUsage(child, nextId++),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function askCpuUsage(child: ChildProcess, id: number): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'cpu' || message.id !== id) return;
      child.off('message', onMessage);
      resolve(message.usage);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu', id }, (error) => {
      if (error) {
        child.off('message', onMessage);
        reject(error);
      }
    });
  });
}

/**
 * `taskset -a` sets the affinity of every thread the process has now (V8's and libuv's); threads it starts later
 * inherit it. Pinning keeps the load generator and the process under test from taking each other's core.
 */
export function pinToCpus(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/** Whether CPU pinning can be used here, and if not, why (printed by the benchmark). */
export function pinningUnavailable(cpuCount: number): string | undefined {
  if (cpuCount < 2) return `only ${cpuCount} CPU`;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'taskset is not installed (apt-get install util-linux)';
  }
}

/**
 * The child's half: tells a forking parent the URL it serves and answers its CPU-time questions. Without a parent
 * (started from a shell, as peers.sh does) it only prints the URL. SIGTERM/SIGINT, or the parent going away, call
 * `stop` once and exit.
 */
export function serveParent(url: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  if (!process.send) {
    process.stderr.write(`listening on ${url}\n`);
    return;
  }
  process.on('message', (message: { type: string; id: number }) => {
    if (message.type === 'cpu') process.send!({ type: 'cpu', id: message.id, usage: process.cpuUsage() });
  });
  process.on('disconnect', shutdown);
  process.send({ type: 'ready', url });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
