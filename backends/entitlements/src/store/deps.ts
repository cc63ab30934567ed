// What every store module of the entitlement service needs: the database, the clock and the id generator.
import type { Kysely } from 'kysely';
import type { Clock } from '../../../../internal/src/clock';
import type { IdGenerator } from '../../../../internal/src/ids';
import type { EntitlementsTables } from './schema';

export interface EntitlementsStoreDeps {
  db: Kysely<EntitlementsTables>;
  clock: Clock;
  newId: IdGenerator;
}

/** A connection or an open transaction: store helpers that take part in a caller's transaction accept either. */
export type Executor = Kysely<EntitlementsTables>;
