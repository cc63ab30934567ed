// The package as npm would publish it: built with tsc, packed by `npm pack`, installed into a consumer's
// node_modules. Its declarations must type-check with Node's types or with the DOM's, and its JavaScript run in
// plain Node (no tsx), from CommonJS and from ES modules.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const SDK = __dirname;
const ROOT = path.resolve(SDK, '../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPE_ROOTS = path.join(ROOT, 'node_modules/@types');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(SDK, 'package.json'), 'utf8')) as { name: string };

interface PackedFile {
  path: string;
}

/** A consumer's code, as CommonJS (.ts) and as an ES module (.mts): calls, narrowing, pagination, types. */
const CONSUMER = `import { createPlatform, createPortico, ProblemError, unwrap, type crm } from '@portico/sdk';

type Customer = crm.components['schemas']['Customer'];

export async function consumer(): Promise<Customer | undefined> {
  const portico = createPortico({ apiKey: 'ptc_test_0123456789', retry: { maxRetries: 1 } });
  const { data, error } = await portico.crm.getCustomer({ params: { path: { customerId: 'cus_1' } } });
  if (error) {
    if (error.kind === 'problem' && error.status === 404) return undefined;
    if (error instanceof ProblemError) throw new Error(error.code);
    throw error;
  }
  for await (const customer of portico.crm.paginate('listCustomers', { signal: AbortSignal.timeout(1000) })) {
    if (customer.id === data.id) break;
  }
  await unwrap(createPlatform({ personalToken: 'ptp_x' }).getMe());
  return data;
}
`;

/** Runs in a child `node`: one call through an injected fetch, printed as JSON for the test to read. */
const RUN_CALL = (load: string) => `${load}
const seen = [];
const portico = createPortico({
  apiKey: 'ptc_test_0123456789',
  baseUrl: 'http://gateway.test',
  fetch: async (url, init) => {
    seen.push({ url: String(url), method: init.method, headers: Object.fromEntries(new Headers(init.headers)) });
    return new Response(JSON.stringify({ id: 'cus_1', name: 'Sunrise Family Clinic' }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
  },
});
portico.crm.createCustomer({ body: { kind: 'organization', name: 'Sunrise Family Clinic' } }).then((result) => {
  process.stdout.write(JSON.stringify({ data: result.data, error: result.error && String(result.error), seen }));
});
`;

function run(command: string, args: string[], cwd: string): string {
  const env = { ...process.env };
  // The child must run the built JavaScript as a user's Node would: no tsx or other loader from the test runner.
  delete env.NODE_OPTIONS;
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function typeCheck(rootNames: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram({
    rootNames,
    options: {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      // The point is to check the package's declarations, so they are not skipped.
      skipLibCheck: false,
      skipDefaultLibCheck: true,
      ...options,
    },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `
      : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

describe(`the ${MANIFEST.name} package`, () => {
  let tmp: string;
  let packageDir: string;
  let consumerDir: string;
  let packed: string[];
  const distExisted = fs.existsSync(path.join(SDK, 'dist'));

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-sdk-package-'));
    // A copy of the package directory, so that the build and `npm pack` never write into the repository.
    packageDir = path.join(tmp, 'package');
    fs.cpSync(SDK, packageDir, {
      recursive: true,
      filter: (source) => !/[/\\](dist|node_modules)$/.test(source),
    });
    run(
      process.execPath,
      [TSC, '-p', path.join(SDK, 'tsconfig.build.json'), '--outDir', path.join(packageDir, 'dist')],
      ROOT,
    );
    // --ignore-scripts: prepack would build again, and the copy has no compiler; dist/ is already built.
    const [report] = JSON.parse(
      run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], packageDir),
    ) as [{ files: PackedFile[] }];
    packed = report.files.map((f) => f.path).sort();

    // Installed as npm would: exactly the packed files, under the consumer's node_modules.
    consumerDir = path.join(tmp, 'consumer');
    const installed = path.join(consumerDir, 'node_modules', MANIFEST.name);
    for (const file of packed) {
      fs.mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
      fs.copyFileSync(path.join(packageDir, file), path.join(installed, file));
    }
    fs.writeFileSync(
      path.join(consumerDir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true }),
    );
    fs.writeFileSync(path.join(consumerDir, 'consumer.ts'), CONSUMER);
    fs.writeFileSync(path.join(consumerDir, 'consumer.mts'), CONSUMER);
    fs.writeFileSync(
      path.join(consumerDir, 'wrong.ts'),
      `import { createPortico } from '${MANIFEST.name}';\nvoid createPortico({ apiKey: 'ptc_test_0' }).crm.GET('/customerz');\n`,
    );
  }, 60_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('packs the built JavaScript, its declarations and the README, and no sources or tests', () => {
    expect(packed).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );
    expect(packed).toEqual(expect.arrayContaining(['dist/generated/crm.d.ts', 'dist/transport.js']));
    const unwanted = packed.filter(
      (file) =>
        (!file.startsWith('dist/') && !['package.json', 'README.md'].includes(file)) ||
        /(^|\/)(src|scripts|e2e|testing)\//.test(file) ||
        /\.test\.|tsconfig/.test(file),
    );
    expect(unwanted).toEqual([]);
  });

  test('every runtime module has its declarations', () => {
    const js = packed.filter((f) => f.endsWith('.js')).map((f) => f.replace(/\.js$/, ''));
    const dts = packed.filter((f) => f.endsWith('.d.ts')).map((f) => f.replace(/\.d\.ts$/, ''));
    expect(js.length).toBeGreaterThan(10);
    expect(dts).toEqual(expect.arrayContaining(js));
  });

  // wrong.ts is the control: the declarations must still reject a wrong call, in both environments.
  test.each([
    [
      "a Node consumer without the DOM's types",
      { lib: ['lib.es2023.d.ts'], types: ['node'], typeRoots: [TYPE_ROOTS] },
    ],
    [
      "a browser consumer without Node's types",
      // No type roots at all: a `/// <reference types="node" />` in the declarations must not find Node's types.
      { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: [], typeRoots: [] },
    ],
  ])('the declarations type-check for %s', (_, options: ts.CompilerOptions) => {
    const files = ['consumer.ts', 'consumer.mts', 'wrong.ts'].map((f) => path.join(consumerDir, f));
    expect(typeCheck(files, options)).toEqual([
      expect.stringMatching(/wrong\.ts:2: Argument of type '"\/customerz"' is not assignable/),
    ]);
  });

  test.each([
    ['require (CommonJS)', ['-e', RUN_CALL(`const { createPortico } = require('${MANIFEST.name}');`)]],
    [
      'import (ES module)',
      ['--input-type=module', '-e', RUN_CALL(`import { createPortico } from '${MANIFEST.name}';`)],
    ],
  ])('the built JavaScript runs in plain node: %s', (_, args) => {
    const output = JSON.parse(run(process.execPath, args, consumerDir)) as {
      data: unknown;
      error?: string;
      seen: Array<{ url: string; method: string; headers: Record<string, string> }>;
    };
    expect(output.error).toBeUndefined();
    expect(output.data).toEqual({ id: 'cus_1', name: 'Sunrise Family Clinic' });
    expect(output.seen).toHaveLength(1);
    const [request] = output.seen;
    expect(request).toMatchObject({ url: 'http://gateway.test/crm/v1/customers', method: 'POST' });
    expect(request!.headers).toMatchObject({
      'x-api-key': 'ptc_test_0123456789',
      'content-type': 'application/json',
      'idempotency-key': expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      'user-agent': expect.stringMatching(/^portico-sdk-typescript\//),
    });
  });

  test('leaves no dist/ in the repository', () => {
    expect(fs.existsSync(path.join(SDK, 'dist'))).toBe(distExisted);
  });
});
