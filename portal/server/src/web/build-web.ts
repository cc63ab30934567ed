// Builds the portal UI (portal/web) with Vite in a child process: Vite is ESM-only and this repository is
// CommonJS, and a child keeps the bundler's memory out of the portal. `npm start` calls it before serving;
// tests build into a directory of their own so parallel runs never share an output.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const WEB_SOURCE_DIR = path.resolve(__dirname, '../../../web');
export const DEFAULT_WEB_ROOT = path.join(WEB_SOURCE_DIR, 'dist');

/** Runs `vite build` for portal/web into outDir (default portal/web/dist); rejects with Vite's output on failure. */
export async function buildPortalWeb(outDir: string = DEFAULT_WEB_ROOT): Promise<string> {
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  try {
    await run(
      process.execPath,
      [
        vite,
        'build',
        '--config',
        path.join(WEB_SOURCE_DIR, 'vite.config.mts'),
        '--outDir',
        outDir,
        '--emptyOutDir',
      ],
      {
        cwd: WEB_SOURCE_DIR,
        maxBuffer: 16 * 1024 * 1024,
        // Vite builds React's development bundle when NODE_ENV says so (Jest sets it to `test`).
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Building the portal UI failed:\n${stderr ?? ''}${stdout ?? ''}`, { cause: error });
  }
  return outDir;
}
