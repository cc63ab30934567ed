// Runs a tenant's list query as one page of the shared cursor pagination (internal/src/pagination.ts): rows after
// the cursor's id, newest id first, one look-ahead row to know whether another page follows.
import { sql, type SelectQueryBuilder } from 'kysely';
import { toPage, type Page, type PageRequest } from '../pagination';

export async function fetchPage<Row, Item extends { id: string }>(
  // The query's tables differ per list; every one of them has a text `id` column, which is all this needs.
  query: SelectQueryBuilder<any, any, Row>, // eslint-disable-line @typescript-eslint/no-explicit-any
  page: PageRequest,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const id = sql.ref<string>('id');
  const paged = page.afterId ? query.where(id, '<', page.afterId) : query;
  const rows = await paged
    .orderBy(id, 'desc')
    .limit(page.limit + 1)
    .execute();
  return toPage(rows.map(toItem), page.limit);
}
