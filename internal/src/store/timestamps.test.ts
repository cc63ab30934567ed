// Stored timestamps keep one fixed-width UTC form so that text order is time order on both engines.
import { ProblemError } from '../problem/problem';
import { addDays, toStoredTimestamp } from './timestamps';

describe('toStoredTimestamp', () => {
  test.each([
    ['2026-11-24T09:30:00Z', '2026-11-24T09:30:00.000Z'],
    ['2026-11-24T17:30:00.5+08:00', '2026-11-24T09:30:00.500Z'],
    ['2026-11-24t09:30:00z', '2026-11-24T09:30:00.000Z'],
  ])('normalises %s to %s', (input, stored) => {
    expect(toStoredTimestamp(input, '/at')).toBe(stored);
  });

  test.each(['2026-12-31T23:59:60Z', '9999-12-31T23:59:59-10:00', 'yesterday'])(
    'refuses %s with a 400 naming the member',
    (input) => {
      expect(() => toStoredTimestamp(input, '/occurredAt')).toThrow(ProblemError);
      try {
        toStoredTimestamp(input, '/occurredAt');
      } catch (error) {
        expect((error as ProblemError).status).toBe(400);
        expect((error as ProblemError).options.errors).toEqual([
          expect.objectContaining({ pointer: '/occurredAt' }),
        ]);
      }
    },
  );

  test('addDays keeps the stored form', () => {
    expect(addDays('2026-11-24T09:30:00.000Z', 365)).toBe('2027-11-24T09:30:00.000Z');
  });

  test('a query parameter is named as a parameter', () => {
    try {
      toStoredTimestamp('2026-12-31T23:59:60Z', { parameter: 'from' });
      throw new Error('not refused');
    } catch (error) {
      expect((error as ProblemError).options.errors).toEqual([
        expect.objectContaining({ parameter: 'from' }),
      ]);
    }
  });
});
