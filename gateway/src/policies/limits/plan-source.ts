// Plans by id for the limits policy, cached in the process: plans are few and change rarely, and a warm request
// must never wait on the database. Entries expire after `ttlMs` (a plan edited in the portal applies within it);
// concurrent misses share one load, and a failed reload keeps serving the plan it had.
import type { Clock } from '../../../../internal/src/clock';
import type { KeysStoreDeps } from '../../../../keys/src/store/deps';
import { findPlan, type Plan } from '../../../../keys/src/store/plans';

export interface PlanSource {
  /** The plan, or undefined when no plan has this id (cached too: a bad id costs one query per `ttlMs`). */
  get(planId: string): Promise<Plan | undefined>;
  /** Forgets one plan, or all: the next `get` loads afresh. */
  invalidate(planId?: string): void;
}

export interface PlanSourceOptions {
  load(planId: string): Promise<Plan | undefined>;
  clock: Clock;
  /** How long a loaded plan is served before it is loaded again. Default 30 s. */
  ttlMs?: number;
}

interface Entry {
  plan: Plan | undefined;
  expiresAtMs: number;
}

export function createPlanSource(options: PlanSourceOptions): PlanSource {
  const ttlMs = options.ttlMs ?? 30_000;
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Plan | undefined>>();

  function reload(planId: string, stale: Entry | undefined): Promise<Plan | undefined> {
    let pending = loading.get(planId);
    if (pending) return pending;
    pending = options
      .load(planId)
      .then(
        (plan) => {
          entries.set(planId, { plan, expiresAtMs: options.clock.now().getTime() + ttlMs });
          return plan;
        },
        (error: unknown) => {
          // The database is away: the plan we had is a better answer than none; the next call tries again.
          if (stale) return stale.plan;
          throw error;
        },
      )
      .finally(() => loading.delete(planId));
    loading.set(planId, pending);
    return pending;
  }

  return {
    async get(planId) {
      const entry = entries.get(planId);
      if (entry && entry.expiresAtMs > options.clock.now().getTime()) return entry.plan;
      return reload(planId, entry);
    },
    invalidate(planId) {
      if (planId === undefined) entries.clear();
      else entries.delete(planId);
    },
  };
}

/** The plan source over the keys store (keys/src/store/plans.ts); the gateway sees every plan, as the operator. */
export function planSourceFromStore(
  deps: Pick<KeysStoreDeps, 'db'>,
  options: Omit<PlanSourceOptions, 'load'>,
): PlanSource {
  return createPlanSource({ ...options, load: (planId) => findPlan(deps, 'operator', planId) });
}
