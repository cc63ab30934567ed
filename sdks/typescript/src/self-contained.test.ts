// The SDK ships alone (its own package.json, no runtime dependencies) and runs wherever fetch and WebCrypto do:
// its runtime may import only its own files — nothing from the rest of the repository, no npm package, no node:.
import fs from 'node:fs';
import path from 'node:path';

const SRC = __dirname;

function runtimeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : runtimeFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g),
    ...text.matchAll(/require\('([^']+)'\)/g),
  ].map((m) => m[1]!);
}

describe('the SDK runtime is self-contained', () => {
  const files = runtimeFiles(SRC);

  test('finds the runtime', () => {
    expect(files.map((f) => path.relative(SRC, f))).toEqual(
      expect.arrayContaining(['index.ts', 'transport.ts', path.join('generated', 'crm.ts')]),
    );
  });

  test.each(files.map((f) => [path.relative(SRC, f), f] as const))('%s imports only SDK files', (_, file) => {
    for (const specifier of importsOf(file)) {
      expect(specifier).toMatch(/^\.\.?\//);
      const target = path.resolve(path.dirname(file), specifier);
      expect(path.relative(SRC, target).startsWith('..')).toBe(false);
    }
  });

  test('the package declares no runtime dependencies', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SRC, '../package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
  });
});
