// Last-used times are batched off the hot path, deduplicated, retried after a failure and flushed at shutdown.
import { manualClock } from '../../../internal/src/clock';
import { createLogger } from '../../../internal/src/logger';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createApiKey, getApiKey, touchApiKeys } from '../store/api-keys';
import { fakeSecret, openKeysStore, signUp, testApp } from '../store/test-fixtures';
import { createLastUsedRecorder, type TouchCredentials } from './last-used-recorder';

const logger = createLogger({ level: 'silent' });

function recorder(touch: TouchCredentials, maxBatch = 100) {
  const clock = manualClock('2026-11-24T10:00:00.000Z');
  return createLastUsedRecorder({ touch, clock, logger, flushIntervalMs: 60_000, maxBatch });
}

describe('createLastUsedRecorder', () => {
  test('recording writes nothing; a flush writes every distinct id once, in one batch', async () => {
    const batches: string[][] = [];
    const r = recorder(async (ids) => {
      batches.push([...ids]);
      return ids.length;
    });
    for (let i = 0; i < 1000; i++) r.record(`key_${i % 3}`);
    expect(batches).toEqual([]);
    await r.flush();
    expect(batches).toEqual([['key_0', 'key_1', 'key_2']]);
    await r.flush();
    expect(batches).toHaveLength(1);
    await r.close();
  });

  test('a full batch is written without waiting for the timer', async () => {
    const batches: string[][] = [];
    const r = recorder(async (ids) => {
      batches.push([...ids]);
      return ids.length;
    }, 3);
    r.record('a');
    r.record('b');
    r.record('c');
    await r.flush();
    expect(batches[0]).toEqual(['a', 'b', 'c']);
    await r.close();
  });

  test('a failed write keeps the ids for the next flush', async () => {
    let fail = true;
    const written: string[] = [];
    const r = recorder(async (ids) => {
      if (fail) throw new Error('database away');
      written.push(...ids);
      return ids.length;
    });
    r.record('key_1');
    await r.flush();
    expect(written).toEqual([]);
    fail = false;
    await r.close();
    expect(written).toEqual(['key_1']);
  });
});

describeEachStore('last-used times in the store', (store) => {
  test('a flush sets last_used_at, and a late batch never moves it backwards', async () => {
    const deps = await openKeysStore(store, 'last_used');
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const scope = { partnerId: tenant.partner.id };
    const key = await createApiKey(deps, scope, app.id, { name: 'k', secret: fakeSecret() }, tenant.as);
    const r = recorder((ids, usedAt) => touchApiKeys(deps, ids, usedAt));
    r.record(key.id);
    await r.close();
    expect((await getApiKey(deps, scope, app.id, key.id)).lastUsedAt).toBe('2026-11-24T10:00:00.000Z');
    await touchApiKeys(deps, [key.id], '2026-11-24T09:00:00.000Z');
    expect((await getApiKey(deps, scope, app.id, key.id)).lastUsedAt).toBe('2026-11-24T10:00:00.000Z');
  });
});
