// The cached plan source: plans come from the keys store once per TTL, concurrent misses share one load, and a
// failed reload keeps serving the plan it had.
import { manualClock } from '../../../../internal/src/clock';
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import type { Plan } from '../../../../keys/src/store/plans';
import { FREE_PLAN_ID } from '../../../../keys/src/store/seeded-plans';
import { openKeysStore } from '../../../../keys/src/store/test-fixtures';
import { createPlanSource, planSourceFromStore } from './plan-source';

const plan = (id: string, burst: number): Plan => ({
  id,
  code: id,
  name: id,
  description: '',
  offered: true,
  rateLimits: [{ name: 'burst', limit: burst, windowSeconds: 1 }],
  quotas: [],
  apis: [],
  scopes: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function countingSource(ttlMs = 1_000) {
  const clock = manualClock();
  const loads: string[] = [];
  let burst = 10;
  let failing = false;
  const source = createPlanSource({
    clock,
    ttlMs,
    load: async (id) => {
      loads.push(id);
      if (failing) throw new Error('database unreachable');
      return id.startsWith('pln_') ? plan(id, burst) : undefined;
    },
  });
  return {
    clock,
    loads,
    source,
    setBurst: (value: number) => (burst = value),
    setFailing: (value: boolean) => (failing = value),
  };
}

describe('plan source', () => {
  test('serves a plan from memory until its TTL ends, then loads it again', async () => {
    const { clock, loads, source, setBurst } = countingSource();
    expect((await source.get('pln_1'))?.rateLimits[0]?.limit).toBe(10);
    setBurst(20);
    clock.advance(999);
    expect((await source.get('pln_1'))?.rateLimits[0]?.limit).toBe(10);
    clock.advance(1);
    expect((await source.get('pln_1'))?.rateLimits[0]?.limit).toBe(20);
    expect(loads).toEqual(['pln_1', 'pln_1']);
  });

  test('concurrent misses share one load; an unknown id is cached as unknown', async () => {
    const { loads, source } = countingSource();
    const plans = await Promise.all(Array.from({ length: 20 }, () => source.get('pln_1')));
    expect(new Set(plans).size).toBe(1);
    expect(await source.get('nope')).toBeUndefined();
    expect(await source.get('nope')).toBeUndefined();
    expect(loads).toEqual(['pln_1', 'nope']);
  });

  test('a failed reload keeps the plan it had; with nothing to fall back on the error surfaces', async () => {
    const { clock, source, setFailing } = countingSource();
    await source.get('pln_1');
    setFailing(true);
    clock.advance(5_000);
    expect((await source.get('pln_1'))?.id).toBe('pln_1');
    await expect(source.get('pln_2')).rejects.toThrow('database unreachable');
  });

  test('invalidate forgets one plan or all of them', async () => {
    const { loads, source } = countingSource();
    await Promise.all([source.get('pln_1'), source.get('pln_2')]);
    source.invalidate('pln_1');
    await Promise.all([source.get('pln_1'), source.get('pln_2')]);
    source.invalidate();
    await source.get('pln_2');
    expect(loads).toEqual(['pln_1', 'pln_2', 'pln_1', 'pln_2']);
  });
});

describeEachStore('plan source over the keys store', (store) => {
  test('reads the seeded plans’ limits, whoever’s they are', async () => {
    const deps = await openKeysStore(store, 'plan_source');
    const source = planSourceFromStore(deps, { clock: deps.clock });
    expect(await source.get(FREE_PLAN_ID)).toMatchObject({
      rateLimits: [{ name: 'burst', limit: 50, windowSeconds: 1 }],
      quotas: [{ name: 'day', limit: 10_000, period: 'day' }],
    });
    expect(await source.get('pln_missing')).toBeUndefined();
  });
});
