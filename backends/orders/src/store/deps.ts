// What the order store needs from its caller: the database, the clock and the id generator (no singletons).
import type { Kysely } from 'kysely';
import type { Clock } from '../../../../internal/src/clock';
import type { IdGenerator } from '../../../../internal/src/ids';
import type { OrdersTables } from './schema';

export interface OrdersStoreDeps {
  db: Kysely<OrdersTables>;
  clock: Clock;
  newId: IdGenerator;
}
