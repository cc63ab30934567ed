// Order money is computed from the lines, exactly, in one currency; the caller's rules violations name the member.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { OrderLineInput } from './order-model';
import { MAX_MONEY_AMOUNT, computeTotals } from './totals';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const goods = (quantity: number, unit: number, currency = 'CNY'): OrderLineInput => ({
  type: 'goods',
  sku: 'SKU-1',
  name: 'Test strips',
  quantity,
  unitPrice: { amount: unit, currency },
});

function problemOf(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

describe('computeTotals', () => {
  test('multiplies each line and sums the subtotal, then subtracts the discount', () => {
    expect(
      computeTotals({ currency: 'CNY', items: [goods(3, 25900), goods(10, 6800)], discount: cny(1000) }),
    ).toEqual({
      lineAmounts: [77700, 68000],
      subtotal: 145700,
      discount: 1000,
      total: 144700,
    });
  });

  test('a missing discount is zero and a discount equal to the subtotal makes a free order', () => {
    expect(computeTotals({ currency: 'CNY', items: [goods(1, 500)] }).total).toBe(500);
    expect(computeTotals({ currency: 'CNY', items: [goods(1, 500)], discount: cny(500) }).total).toBe(0);
  });

  test('refuses a discount above the subtotal with a pointer to it', () => {
    const problem = problemOf(() =>
      computeTotals({ currency: 'CNY', items: [goods(1, 500)], discount: cny(501) }),
    );
    expect(problem.code).toBe('unprocessable');
    expect(problem.options.errors).toEqual([expect.objectContaining({ pointer: '/discount/amount' })]);
  });

  test('names every line and the discount whose currency is not the order currency', () => {
    const problem = problemOf(() =>
      computeTotals({
        currency: 'CNY',
        items: [goods(1, 500), goods(1, 500, 'USD'), goods(1, 500, 'HKD')],
        discount: { amount: 1, currency: 'USD' },
      }),
    );
    expect(problem.options.errors?.map((e) => e.pointer)).toEqual([
      '/items/1/unitPrice/currency',
      '/items/2/unitPrice/currency',
      '/discount/currency',
    ]);
  });

  test('computes exactly near the limit and refuses a subtotal beyond what an amount can hold', () => {
    expect(computeTotals({ currency: 'CNY', items: [goods(1, MAX_MONEY_AMOUNT)] }).total).toBe(
      MAX_MONEY_AMOUNT,
    );
    // 10,000 × the maximum price is far beyond 2^53; without exact arithmetic the check itself would be wrong.
    const line = problemOf(() =>
      computeTotals({ currency: 'CNY', items: [goods(1, 1), goods(10000, MAX_MONEY_AMOUNT)] }),
    );
    expect(line.code).toBe('unprocessable');
    expect(line.options.errors).toEqual([expect.objectContaining({ pointer: '/items/1/quantity' })]);
    // Each line fits on its own, together they do not.
    const sum = problemOf(() =>
      computeTotals({ currency: 'CNY', items: [goods(1, MAX_MONEY_AMOUNT), goods(1, 1)] }),
    );
    expect(sum.options.errors).toEqual([expect.objectContaining({ pointer: '/items' })]);
  });

  test('a line one minor unit over the limit is refused, naming its quantity', () => {
    // 2 × 450359962737050 = 900719925474100, one more than the limit.
    const over = problemOf(() =>
      computeTotals({ currency: 'CNY', items: [goods(2, (MAX_MONEY_AMOUNT + 1) / 2)] }),
    );
    expect(over.options.errors).toEqual([expect.objectContaining({ pointer: '/items/0/quantity' })]);
  });
});
