import { createIdGenerator } from './ids';
import { decodeCursor, encodeCursor, pageRequest, toPage } from './pagination';
import { ProblemError } from './problem/problem';

describe('cursor pagination', () => {
  const id = createIdGenerator()('cus');

  test('a cursor round-trips to the id it was made from', () => {
    expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  test.each([
    '',
    'abc',
    Buffer.from('v1:not-an-id').toString('base64url'),
    Buffer.from(id).toString('base64url'),
  ])('a forged or foreign cursor %p is a 400 invalid_cursor, never a silent first page', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ProblemError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as ProblemError).code).toBe('invalid_cursor');
    }
  });

  test('pageRequest defaults to 20 and clamps to 1..100', () => {
    expect(pageRequest({})).toEqual({ limit: 20, afterId: undefined });
    expect(pageRequest({ limit: '500' }).limit).toBe(100);
    expect(pageRequest({ limit: 0 }).limit).toBe(1);
    expect(pageRequest({ cursor: encodeCursor(id) }).afterId).toBe(id);
  });

  test('toPage trims the look-ahead row and points the cursor at the last returned row', () => {
    const rows = [{ id: 'c' }, { id: 'b' }, { id: 'a' }];
    expect(toPage(rows, 2)).toEqual({
      data: [{ id: 'c' }, { id: 'b' }],
      hasMore: true,
      nextCursor: encodeCursor('b'),
    });
    expect(toPage(rows, 3)).toEqual({ data: rows, hasMore: false, nextCursor: null });
  });
});
