// Type tests for the SDK's call signatures: snippets written as an integrator writes them are type-checked with
// the TypeScript compiler API (one program, one file per snippet); each compiles cleanly or fails where marked.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const SDK_ENTRY = path.join(ROOT, 'sdks/typescript/src/index.ts');
const README = path.join(ROOT, 'sdks/typescript/README.md');
/** Where the snippets pretend to live: inside the SDK package (CommonJS under nodenext), never written to disk. */
const SNIPPETS = path.join(ROOT, 'sdks/typescript/src/__type-snippets__');
/** A line that must fail ends with this comment; every other line must compile. */
const MARK = '// error';

interface Case {
  name: string;
  /** The body of an async function that sees `portico` (API key), `platform` and the SDK's exports. */
  code: string;
  /** The message expected on the marked line; without one, the snippet must compile with zero diagnostics. */
  error?: RegExp;
}

const PRELUDE = `import {
  createPlatform,
  createPortico,
  ConnectionError,
  OAuthError,
  PorticoError,
  ProblemError,
  TimeoutError,
  unwrap,
  type crm,
  type Result,
} from '@portico/sdk';

const portico = createPortico({ apiKey: 'ptc_test_4eC39HqLyjWDarjtT1zdp7dc' });
const platform = createPlatform({ personalToken: 'ptp_example' });
const customerId = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB';

export async function snippet() {
`;

const GET_CUSTOMER = `const result = await portico.crm.getCustomer({ params: { path: { customerId } } });`;

const compiles: Case[] = [
  {
    name: 'GET by path with its path parameter',
    code: `const { data } = await portico.crm.GET('/customers/{customerId}', { params: { path: { customerId } } });
return data;`,
  },
  {
    name: 'a list by path: the init is optional, the query typed',
    code: `await portico.crm.GET('/customers');
await portico.crm.GET('/customers', { params: { query: { limit: 10, kind: 'person', q: 'clinic' } } });`,
  },
  {
    name: 'POST, PATCH and DELETE by path',
    code: `await portico.crm.POST('/customers', { body: { kind: 'organization', name: 'Sunrise Family Clinic' } });
await portico.crm.PATCH('/customers/{customerId}', {
  params: { path: { customerId } },
  body: { lifecycleStage: 'customer', email: null },
});
await portico.crm.DELETE('/customers/{customerId}', { params: { path: { customerId } } });`,
  },
  {
    name: 'calls by operationId, with call options',
    code: `await portico.crm.listCustomers();
await portico.crm.createCustomer({
  body: { kind: 'person', name: 'Li Wei', tags: ['vip'], metadata: { crmId: '42' } },
  idempotencyKey: 'import-2026-11-24-row-17',
  timeoutMs: 5_000,
  retry: { maxRetries: 5 },
  signal: AbortSignal.timeout(10_000),
  headers: { 'x-trace-id': 'abc' },
});
await portico.crm.updateCustomer({ params: { path: { customerId } }, body: { name: 'Li Wei' }, retry: false });
await portico.orders.getOrder({ params: { path: { orderId: 'ord_1' } } });
await portico.entitlements.listPackages({ params: { query: { status: 'active' } } });`,
  },
  {
    name: 'the data after the error check has the spec type',
    code: `${GET_CUSTOMER}
if (result.error) return;
const id: string = result.data.id;
const kind: 'organization' | 'person' = result.data.kind;
const response: Response = result.response;
return [id, kind, response];`,
  },
  {
    name: 'destructured data and error narrow together',
    code: `const { data, error } = await portico.crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
if (error) throw error;
const created: crm.components['schemas']['Customer'] = data;
return created;`,
  },
  {
    name: 'an operation that answers 204 has undefined data',
    code: `const { data, error } = await portico.crm.deleteCustomer({ params: { path: { customerId } } });
if (error) return;
const nothing: undefined = data;
return nothing;`,
  },
  {
    name: 'error.kind narrows to the error class',
    code: `${GET_CUSTOMER}
const error = result.error;
if (!error) return;
const requestId: string | undefined = error.requestId;
const attempts: number = error.attempts;
if (error.kind === 'problem') {
  const status: number = error.status;
  const code: crm.components['schemas']['ProblemCode'] | undefined = error.code;
  const retryAfter: number | undefined = error.retryAfterSeconds;
  return [status, code, retryAfter, requestId, attempts];
}
switch (error.kind) {
  case 'timeout':
    return error.timeoutMs;
  case 'oauth':
    return [error.status, error.error, error.description];
  case 'connection':
    return error.cause;
}`,
  },
  {
    name: 'errors are the exported classes',
    code: `${GET_CUSTOMER}
const error = result.error;
if (error instanceof ProblemError) return error.problem?.detail;
const some: PorticoError | undefined = error;
const each: ConnectionError | TimeoutError | OAuthError | undefined = error;
return [some, each];`,
  },
  {
    name: 'paginate by operationId and by path yields typed items',
    code: `for await (const customer of portico.crm.paginate('listCustomers', { params: { query: { limit: 100 } } })) {
  const id: string = customer.id;
  const name: string = customer.name;
  if (id === name) break;
}
for await (const contact of portico.crm.paginate('/customers/{customerId}/contacts', {
  params: { path: { customerId } },
})) {
  const primary: boolean = contact.isPrimary;
  if (primary) break;
}`,
  },
  {
    name: 'unwrap gives the data or throws',
    code: `const customer = await unwrap(portico.crm.getCustomer({ params: { path: { customerId } } }));
const id: string = customer.id;
const typed: Result<crm.components['schemas']['Customer']> = await portico.crm.getCustomer({
  params: { path: { customerId } },
});
return [id, typed];`,
  },
  {
    name: 'a body with a discriminated union (order lines)',
    code: `await portico.orders.createOrder({
  body: {
    customerId,
    currency: 'CNY',
    items: [
      { type: 'service', packageId: 'pkg_1', name: 'Annual check-up', quantity: 1, unitPrice: { amount: 12800, currency: 'CNY' } },
    ],
  },
});`,
  },
  {
    name: 'the management API: a signing key by its algorithm',
    code: `await platform.createSigningKey({
  params: { path: { appId: 'app_1' } },
  body: { algorithm: 'hmac-sha256', name: 'ci' },
});
await platform.createSigningKey({
  params: { path: { appId: 'app_1' } },
  body: { algorithm: 'ed25519', name: 'ci', publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs' } },
});`,
  },
  {
    name: 'every credential of createPortico',
    code: `createPortico({ baseUrl: 'https://api.example.com', apiKey: 'ptc_live_x', timeoutMs: 10_000 });
const oauth = createPortico({ oauth: { clientId: 'oac_1', clientSecret: 'ocs_test_x', scopes: ['crm:read'] } });
await oauth.accessToken();
createPortico({ signing: { keyId: 'sig_1', algorithm: 'hmac-sha256', secret: 'pts_test_x' } });
createPortico({
  signing: {
    keyId: 'sig_2',
    algorithm: 'ed25519',
    privateKey: { kty: 'OKP', crv: 'Ed25519', d: 'private', x: 'public' },
    expiresInSeconds: 60,
  },
});`,
  },
  {
    name: 'the management API: session and personal token',
    code: `const session = createPlatform({ baseUrl: 'http://127.0.0.1:3000' });
const login = await session.login({ body: { email: 'li.wei@jadepharm.example', password: 'secret' } });
if (login.error) return;
const csrf: string = login.data.csrfToken;
const signedIn: boolean = session.hasSession;
const apps = await platform.GET('/apps');
for await (const app of platform.paginate('listApps')) {
  const appId: string = app.id;
  if (appId) break;
}
return [csrf, signedIn, apps];`,
  },
];

const fails: Case[] = [
  {
    name: 'a path the API does not have',
    code: `await portico.crm.GET('/customerz'); ${MARK}`,
    error: /Argument of type '"\/customerz"' is not assignable to parameter/,
  },
  {
    name: 'a method the path does not have (DELETE on a list)',
    code: `await portico.crm.DELETE('/customers', {}); ${MARK}`,
    error: /Argument of type '"\/customers"' is not assignable to parameter/,
  },
  {
    name: 'a path call without its required init',
    code: `await portico.crm.GET('/customers/{customerId}'); ${MARK}`,
    error: /Expected 2 arguments, but got 1/,
  },
  {
    name: 'params without the path parameters',
    code: `await portico.crm.GET('/customers/{customerId}', { params: {} }); ${MARK}`,
    error: /Property 'path' is missing/,
  },
  {
    name: 'a missing required path parameter',
    code: `await portico.crm.getCustomer({ params: { path: {} } }); ${MARK}`,
    error: /Property 'customerId' is missing/,
  },
  {
    name: 'a wrong parameter name',
    code: `await portico.crm.getCustomer({ params: { path: { id: customerId } } }); ${MARK}`,
    error: /'id' does not exist in type/,
  },
  {
    name: 'a query parameter the operation does not have',
    code: `await portico.crm.listCustomers({ params: { query: { page: 2 } } }); ${MARK}`,
    error: /'page' does not exist in type/,
  },
  {
    name: 'a wrong parameter type',
    code: `await portico.crm.listCustomers({ params: { query: { limit: 'ten' } } }); ${MARK}`,
    error: /Type 'string' is not assignable to type 'number'/,
  },
  {
    name: 'a body member of the wrong type',
    code: `await portico.crm.createCustomer({ body: { kind: 'company', name: 'Sunrise' } }); ${MARK}`,
    error: /Type '"company"' is not assignable to type '"(organization|person)" \| "(organization|person)"'/,
  },
  {
    name: 'a discriminated body member with an unknown tag',
    code: `await portico.orders.createOrder({
  body: {
    customerId,
    currency: 'CNY',
    items: [{ type: 'gift', packageId: 'pkg_1', name: 'x', quantity: 1, unitPrice: { amount: 0, currency: 'CNY' } }], ${MARK}
  },
});`,
    error: /Type '"gift"' is not assignable to type '"(goods|service)" \| "(goods|service)"'/,
  },
  {
    name: 'a body without a required member',
    code: `await portico.crm.createCustomer({ body: { kind: 'person' } }); ${MARK}`,
    error: /Property 'name' is missing/,
  },
  {
    name: 'a body member the schema does not have',
    code: `await portico.crm.createCustomer({ body: { kind: 'person', name: 'Li', nickname: 'Wei' } }); ${MARK}`,
    error: /'nickname' does not exist in type/,
  },
  {
    name: 'params on an operation that takes none',
    code: `await platform.getMe({ params: { query: { verbose: true } } }); ${MARK}`,
    error: /is not assignable to type 'undefined'/,
  },
  {
    name: 'a body on an operation that takes none',
    code: `await portico.crm.getCustomer({ params: { path: { customerId } }, body: { name: 'Li' } }); ${MARK}`,
    error: /is not assignable to type 'undefined'/,
  },
  {
    name: 'a body on a path call that takes none',
    code: `await portico.crm.GET('/customers', { body: { name: 'Li' } }); ${MARK}`,
    error: /is not assignable to type 'undefined'/,
  },
  {
    name: 'an operation called without its required init',
    code: `await portico.crm.createCustomer(); ${MARK}`,
    error: /Expected 1 arguments, but got 0/,
  },
  {
    name: 'a POST by path without its required body',
    code: `await portico.crm.POST('/customers', {}); ${MARK}`,
    error: /Property 'body' is missing/,
  },
  {
    name: 'an Idempotency-Key for an operation that takes none',
    code: `await portico.crm.getCustomer({ params: { path: { customerId } }, idempotencyKey: 'k' }); ${MARK}`,
    error: /Type 'string' is not assignable to type 'undefined'/,
  },
  {
    name: 'an operationId the API does not have',
    code: `await portico.crm.getCustomers({ params: { path: { customerId } } }); ${MARK}`,
    error: /Property 'getCustomers' does not exist .*Did you mean 'getCustomer'/,
  },
  {
    name: 'an unknown call option',
    code: `await portico.crm.listCustomers({ timeout: 5000 }); ${MARK}`,
    error: /'timeout' does not exist in type/,
  },
  {
    name: 'paginate on a path that is not a list',
    code: `portico.crm.paginate('/customers/{customerId}', { params: { path: { customerId } } }); ${MARK}`,
    error: /Argument of type '"\/customers\/\{customerId\}"' is not assignable to parameter/,
  },
  {
    name: 'paginate on an operation that is not a list',
    code: `portico.crm.paginate('createCustomer', { body: { kind: 'person', name: 'Li' } }); ${MARK}`,
    error: /Argument of type '"createCustomer"' is not assignable to parameter/,
  },
  {
    name: 'paginate without the path parameters of the list',
    code: `portico.crm.paginate('listContacts'); ${MARK}`,
    error: /Expected 2 arguments, but got 1/,
  },
  {
    name: 'the data used before the error check',
    code: `${GET_CUSTOMER}
const id: string = result.data.id; ${MARK}
if (result.error) return;`,
    error: /'result\.data' is possibly 'undefined'/,
  },
  {
    name: 'the data is the spec type, not any',
    code: `${GET_CUSTOMER}
if (result.error) return;
const id: number = result.data.id; ${MARK}`,
    error: /Type 'string' is not assignable to type 'number'/,
  },
  {
    name: 'the data of a 204 is undefined, not any',
    code: `const { data, error } = await portico.crm.deleteCustomer({ params: { path: { customerId } } });
if (error) return;
return data.id; ${MARK}`,
    error: /'data' is possibly 'undefined'|Property 'id' does not exist on type 'never'/,
  },
  {
    name: 'the status of an error that may not be a problem',
    code: `${GET_CUSTOMER}
if (!result.error) return;
return result.error.status; ${MARK}`,
    error: /Property 'status' does not exist on type/,
  },
  {
    name: 'a paginated item is the spec type, not any',
    code: `for await (const customer of portico.crm.paginate('listCustomers')) {
  const id: number = customer.id; ${MARK}
}`,
    error: /Type 'string' is not assignable to type 'number'/,
  },
  {
    name: 'the management client given a CRM path',
    code: `await platform.GET('/customers'); ${MARK}`,
    error: /Argument of type '"\/customers"' is not assignable to parameter/,
  },
  {
    name: 'the CRM client given a management operation',
    code: `await portico.crm.listApps(); ${MARK}`,
    error: /Property 'listApps' does not exist/,
  },
  {
    name: 'two credentials at once',
    code: `createPortico({ apiKey: 'ptc_test_1', oauth: { clientId: 'c', clientSecret: 's' } }); ${MARK}`,
    error: /is not assignable to (parameter of )?type 'PorticoOptions'|No overload matches/,
  },
  {
    name: 'no credential',
    code: `createPortico({ baseUrl: 'https://api.example.com' }); ${MARK}`,
    error: /is not assignable to (parameter of )?type 'PorticoOptions'|No overload matches/,
  },
  {
    name: 'a signing key with an unknown algorithm',
    code: `createPortico({ signing: { keyId: 'sig_1', algorithm: 'rsa-sha256', secret: 'x' } }); ${MARK}`,
    error: /'"rsa-sha256"' is not assignable/,
  },
];

interface Snippet {
  name: string;
  file: string;
  text: string;
  /** 0-based lines where a diagnostic is expected, and the pattern one of them must match. */
  expected?: { lines: Set<number>; error: RegExp };
  /** Maps a line of the file back to where a reader finds it (the README's line for its samples). */
  where: (line: number) => string;
}

function caseSnippet(c: Case, index: number): Snippet {
  const text = `${PRELUDE}${c.code}\n}\n`;
  const file = path.join(SNIPPETS, `case-${index}.ts`);
  const lines = text.split('\n');
  const marked = new Set(lines.flatMap((line, i) => (line.endsWith(MARK) ? [i] : [])));
  if (c.error && marked.size === 0)
    throw new Error(`${c.name}: a failing case needs a line ending in ${MARK}`);
  if (!c.error && marked.size > 0) throw new Error(`${c.name}: marks a line but expects no error`);
  return {
    name: c.name,
    file,
    text,
    ...(c.error ? { expected: { lines: marked, error: c.error } } : {}),
    where: (line) => `line ${line + 1}: ${lines[line]?.trim()}`,
  };
}

/**
 * Every ```ts block of the README, as its own file: imports stay on top, the rest becomes the body of an async
 * function (samples use `await` freely), and a sample that uses `portico` without creating it gets one.
 */
function readmeSnippets(): Snippet[] {
  const readme = fs.readFileSync(README, 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < readme.length; i++) {
    if (readme[i] !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < readme.length && readme[end] !== '```') end++;
    const block = readme.slice(start, end);
    i = end;
    const body = block.join('\n');
    const imports = [...body.matchAll(/^import [^;]*;$/gm)].map((m) => m[0]);
    const rest = imports.reduce((text, line) => text.replace(line, line.replace(/[^\n]/g, '')), body);
    const given = [
      /\bportico\b/.test(rest) && !/\bconst portico\b/.test(rest)
        ? "const portico = sdk.createPortico({ apiKey: 'ptc_test_4eC39HqLyjWDarjtT1zdp7dc' });"
        : '',
      /\bplatform\b/.test(rest) && !/\bconst platform\b/.test(rest)
        ? "const platform = sdk.createPlatform({ personalToken: 'ptp_example' });"
        : '',
    ].filter(Boolean);
    const header = [
      ...imports,
      ...(given.length ? ["import * as sdk from '@portico/sdk';", ...given] : []),
      'export async function sample() {',
    ];
    const text = `${header.join('\n')}\n${rest}\n}\n`;
    const offset = header.length;
    snippets.push({
      name: `README.md:${start}`,
      file: path.join(SNIPPETS, `readme-${start}.ts`),
      text,
      where: (line) =>
        line >= offset ? `README.md:${start + 1 + line - offset}` : `line ${line + 1} (added)`,
    });
  }
  return snippets;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT, configFile);
  if (errors.length)
    throw new Error(errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join());
  // The same mapping as the repository's tsconfig, made absolute so that it does not depend on the cwd.
  return { ...options, paths: { '@portico/sdk': [SDK_ENTRY] }, noEmit: true };
}

function createProgram(snippets: Snippet[]): ts.Program {
  const files = new Map(snippets.map((s) => [s.file, s.text]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(path.resolve(fileName));
    return text === undefined
      ? getSourceFile.call(host, fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(path.resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => files.get(path.resolve(fileName)) ?? readFile.call(host, fileName);
  return ts.createProgram({ rootNames: [...files.keys()], options, host });
}

interface Found {
  line: number;
  message: string;
}

function diagnosticsOf(program: ts.Program, snippet: Snippet): Found[] {
  const sourceFile = program.getSourceFile(snippet.file);
  if (!sourceFile) throw new Error(`${snippet.file} is not in the program`);
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map(
    (d) => ({
      line: d.start === undefined ? -1 : sourceFile.getLineAndCharacterOfPosition(d.start).line,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }),
  );
}

function describeAll(snippet: Snippet, found: Found[]): string {
  return found.map((d) => `${snippet.where(d.line)}\n  ${d.message.replace(/\n/g, '\n  ')}`).join('\n');
}

describe('the SDK call signatures, as the TypeScript compiler sees them', () => {
  const caseSnippets = [...compiles, ...fails].map(caseSnippet);
  const readme = readmeSnippets();
  let program: ts.Program;

  beforeAll(() => {
    program = createProgram([...caseSnippets, ...readme]);
  });

  test('the compiler options are valid and the SDK resolves as @portico/sdk', () => {
    const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    expect(global.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    expect(program.getSourceFile(SDK_ENTRY)).toBeDefined();
  });

  test.each(caseSnippets.filter((s) => !s.expected).map((s) => [s.name, s] as const))(
    'compiles: %s',
    (_, snippet) => {
      expect(describeAll(snippet, diagnosticsOf(program, snippet))).toBe('');
    },
  );

  test.each(caseSnippets.filter((s) => s.expected).map((s) => [s.name, s] as const))(
    'rejects: %s',
    (_, snippet) => {
      const { lines, error } = snippet.expected!;
      const found = diagnosticsOf(program, snippet);
      // Only the marked line may fail: an error elsewhere would mean the snippet is wrong, not the SDK right.
      expect(
        describeAll(
          snippet,
          found.filter((d) => !lines.has(d.line)),
        ),
      ).toBe('');
      expect(
        found.some((d) => error.test(d.message)) ? '' : describeAll(snippet, found) || '(no error)',
      ).toBe('');
    },
  );

  test('the README has TypeScript samples', () => {
    expect(readme.length).toBeGreaterThanOrEqual(5);
  });

  test.each(readme.map((s) => [s.name, s] as const))('the sample at %s compiles', (_, snippet) => {
    expect(describeAll(snippet, diagnosticsOf(program, snippet))).toBe('');
  });
});
