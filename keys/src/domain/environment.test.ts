import { ENVIRONMENTS, isEnvironment } from './environment';

describe('isEnvironment', () => {
  test('the environments are test and live', () => {
    expect([...ENVIRONMENTS]).toEqual(['test', 'live']);
  });

  test.each([
    ['test', true],
    ['live', true],
    ['Test', false],
    ['prod', false],
    ['', false],
    [undefined, false],
    [1, false],
  ])('%j → %s', (value, expected) => {
    expect(isEnvironment(value)).toBe(expected);
  });
});
