import { createIdGenerator, ID_PATTERN } from './ids';

describe('createIdGenerator', () => {
  test('makes prefixed ULID-style ids that match ID_PATTERN', () => {
    const id = createIdGenerator()('cus');
    expect(id).toMatch(ID_PATTERN);
    expect(id.startsWith('cus_')).toBe(true);
  });

  test('ids sort in creation order, even within one millisecond', () => {
    const newId = createIdGenerator(() => 1_795_536_000_000);
    const ids = Array.from({ length: 500 }, () => newId('ord'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a later millisecond sorts after an earlier one whatever the random part', () => {
    let now = 1_000;
    const newId = createIdGenerator(() => now);
    const a = newId('x1');
    now = 1_001;
    expect(newId('x1') > a).toBe(true);
  });

  test('a clock that steps back does not break the order', () => {
    let now = 5_000;
    const newId = createIdGenerator(() => now);
    const a = newId('x1');
    now = 4_000;
    expect(newId('x1') > a).toBe(true);
  });
});
