// The access log: pino-compatible JSON lines, one write per event-loop turn, nothing when the level is off.
import { createLogger } from '../../internal/src/logger';
import { createAccessLog, type AccessRecord } from './access-log';

const record = (overrides: Partial<AccessRecord> = {}): AccessRecord => ({
  requestId: 'req_01M87WD5HY0WF6S1VB7Z6KPRA6',
  method: 'GET',
  path: '/crm/v1/customers',
  operation: 'listCustomers',
  status: 200,
  durationMs: 1.25,
  upstreamMs: 0.9,
  partnerId: 'prt_1',
  appId: 'app_1',
  credentialId: 'key_1',
  scheme: 'apiKey',
  code: undefined,
  reason: undefined,
  replayed: undefined,
  client: '203.0.113.7',
  ...overrides,
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('access log', () => {
  test('lines of one turn go out in one write, each a pino-shaped JSON object', async () => {
    const writes: string[] = [];
    const log = createAccessLog({
      logger: createLogger({ level: 'info' }),
      name: 'portico',
      output: (chunk) => writes.push(chunk),
    });
    log.write(record());
    log.write(record({ status: 401, code: 'unauthenticated', path: '/crm/v1/"quoted"\n' }));
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toHaveLength(1);
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 30,
      name: 'portico',
      service: 'gateway',
      msg: 'request',
      status: 200,
    });
    expect(typeof lines[0]!.time).toBe('number');
    expect(lines[0]).not.toHaveProperty('code');
    expect(lines[1]).toMatchObject({ path: '/crm/v1/"quoted"\n', code: 'unauthenticated' });
  });

  test('writes nothing below info, and flush() empties the batch at once', () => {
    const writes: string[] = [];
    const quiet = createAccessLog({
      logger: createLogger({ level: 'warn' }),
      name: 'p',
      output: (c) => writes.push(c),
    });
    quiet.write(record());
    quiet.flush();
    expect(writes).toEqual([]);
    const loud = createAccessLog({
      logger: createLogger({ level: 'info' }),
      name: 'p',
      output: (c) => writes.push(c),
    });
    loud.write(record());
    loud.flush();
    expect(writes).toHaveLength(1);
  });
});
