// Cursor pagination shared by every list operation: newest first, ordered by the time-sortable id, with an opaque
// cursor that encodes the last id returned. A cursor that does not decode is a 400, never a silent first page.
import { ProblemError } from './problem/problem';
import { ID_PATTERN } from './ids';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  limit: number;
  /** The id after which (in descending order) this page starts, or undefined for the first page. */
  afterId: string | undefined;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

export function encodeCursor(lastId: string): string {
  return Buffer.from(`v1:${lastId}`, 'utf8').toString('base64url');
}

/** The id a cursor points after; it must be an id of this list's kind (`idPrefix`), or the cursor is refused. */
export function decodeCursor(cursor: string, idPrefix: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith('v1:') ? decoded.slice(3) : '';
  // A cursor of another list (a customer id sent to the items list) would otherwise yield a silent empty page.
  if (!ID_PATTERN.test(id) || !id.startsWith(`${idPrefix}_`)) {
    throw new ProblemError(
      'invalid_cursor',
      'The cursor was not produced by this API; start again without it.',
      {
        errors: [{ parameter: 'cursor', detail: 'not a cursor returned by a previous page' }],
      },
    );
  }
  return id;
}

/** Reads `limit` and `cursor` from an (already validated) query object of a list of `idPrefix`-ids. */
export function pageRequest(query: Record<string, unknown>, idPrefix: string): PageRequest {
  const rawLimit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
  const limit = Math.min(Math.max(1, Math.trunc(rawLimit)), MAX_PAGE_SIZE);
  const cursor = typeof query.cursor === 'string' && query.cursor.length > 0 ? query.cursor : undefined;
  return { limit, afterId: cursor === undefined ? undefined : decodeCursor(cursor, idPrefix) };
}

/** Turns `limit + 1` rows fetched in descending id order into a page. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor(last.id) : null };
}
