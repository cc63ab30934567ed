// Builds the portal UI (React) into dist/, which the portal server serves at /. No dev server is needed to run
// Portico: `npm start` builds once. The SDK is compiled in from its sources, so the UI calls the management API
// through the same typed client integrators use.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const sdk = fileURLToPath(new URL('../../sdks/typescript/src/index.ts', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  resolve: { alias: { '@portico/sdk': sdk } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows scripts from 'self' only: no inline module preload polyfill, no data: URLs for assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
