// Cursor pagination: opaque, tamper-evident enough to refuse foreign cursors, newest first.
import { createIdGenerator } from './ids';
import { decodeCursor, encodeCursor, pageRequest, toPage } from './pagination';
import { ProblemError } from './problem/problem';

describe('cursor pagination', () => {
  const id = createIdGenerator()('cus');

  test('a cursor round-trips to the id it was made from', () => {
    expect(decodeCursor(encodeCursor(id), 'cus')).toBe(id);
  });

  test.each([
    '',
    'abc',
    Buffer.from('v1:not-an-id').toString('base64url'),
    Buffer.from(id).toString('base64url'),
  ])('a forged or foreign cursor %p is a 400 invalid_cursor, never a silent first page', (cursor) => {
    expect(() => decodeCursor(cursor, 'cus')).toThrow(ProblemError);
    try {
      decodeCursor(cursor, 'cus');
    } catch (error) {
      expect((error as ProblemError).code).toBe('invalid_cursor');
    }
  });

  test('a cursor of another list (another id prefix) is refused, not answered with an empty page', () => {
    expect(() => decodeCursor(encodeCursor(id), 'itm')).toThrow(ProblemError);
  });

  test('pageRequest defaults to 20 and clamps to 1..100', () => {
    expect(pageRequest({}, 'cus')).toEqual({ limit: 20, afterId: undefined });
    expect(pageRequest({ limit: '500' }, 'cus').limit).toBe(100);
    expect(pageRequest({ limit: 0 }, 'cus').limit).toBe(1);
    expect(pageRequest({ cursor: encodeCursor(id) }, 'cus').afterId).toBe(id);
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
