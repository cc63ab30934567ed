// Computes an order's money from its lines: line amounts, subtotal, discount and total, all in the order's
// currency. Totals are never taken from the caller; a rule broken by the input is a 422 naming the member.
import { ProblemError, type ProblemFieldError } from '../../../../internal/src/problem/problem';
import type { Money, OrderLineInput } from './order-model';

/** The largest amount the common Money schema allows; a computed amount above it cannot be represented. */
export const MAX_MONEY_AMOUNT = 900_719_925_474_099;

export interface ComputedTotals {
  lineAmounts: number[];
  subtotal: number;
  discount: number;
  total: number;
}

export function computeTotals(input: {
  currency: string;
  items: readonly OrderLineInput[];
  discount?: Money | undefined;
}): ComputedTotals {
  const errors: ProblemFieldError[] = [];
  input.items.forEach((item, index) => {
    if (item.unitPrice.currency !== input.currency) {
      errors.push({
        pointer: `/items/${index}/unitPrice/currency`,
        detail: `must be the order's currency ${input.currency}`,
      });
    }
  });
  if (input.discount && input.discount.currency !== input.currency) {
    errors.push({ pointer: '/discount/currency', detail: `must be the order's currency ${input.currency}` });
  }
  if (errors.length > 0) {
    throw new ProblemError('unprocessable', 'Every amount of an order must be in its currency.', { errors });
  }

  // BigInt, because quantity × unit price can pass 2^53 before we get to compare it with the limit.
  const max = BigInt(MAX_MONEY_AMOUNT);
  const lineAmounts = input.items.map((item) => BigInt(item.quantity) * BigInt(item.unitPrice.amount));
  const tooLarge = lineAmounts.flatMap((amount, index) =>
    amount > max
      ? [{ pointer: `/items/${index}/quantity`, detail: `quantity × unitPrice exceeds ${MAX_MONEY_AMOUNT}` }]
      : [],
  );
  if (tooLarge.length > 0) {
    throw new ProblemError('unprocessable', `A line's amount exceeds ${MAX_MONEY_AMOUNT} minor units.`, {
      errors: tooLarge,
    });
  }
  const subtotal = lineAmounts.reduce((sum, amount) => sum + amount, 0n);
  if (subtotal > max) {
    throw new ProblemError('unprocessable', `The order's subtotal exceeds ${MAX_MONEY_AMOUNT} minor units.`, {
      errors: [{ pointer: '/items', detail: `the lines add up to more than ${MAX_MONEY_AMOUNT}` }],
    });
  }
  const discount = BigInt(input.discount?.amount ?? 0);
  if (discount > subtotal) {
    throw new ProblemError('unprocessable', 'The discount cannot exceed the subtotal.', {
      errors: [{ pointer: '/discount/amount', detail: `must be at most the subtotal ${subtotal}` }],
    });
  }
  return {
    lineAmounts: lineAmounts.map(Number),
    subtotal: Number(subtotal),
    discount: Number(discount),
    total: Number(subtotal - discount),
  };
}
