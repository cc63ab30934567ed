// What the control-plane store needs from its caller: the database, the clock and the id generator (no singletons).
import type { Kysely } from 'kysely';
import type { Clock } from '../../../internal/src/clock';
import type { IdGenerator } from '../../../internal/src/ids';
import type { KeysTables } from './schema';

export interface KeysStoreDeps {
  db: Kysely<KeysTables>;
  clock: Clock;
  newId: IdGenerator;
}

/** A partner's partition of the control plane; apps and credentials of both environments belong to it. */
export interface PartnerScope {
  partnerId: string;
}
