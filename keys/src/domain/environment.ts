// The two worlds a credential lives in (DESIGN.md: test and live are separate, as at Stripe).
// A test credential only ever reaches test data; the environment is part of every scoped secret's text.
import type { Environment } from '../../../internal/src/http/locals';

// One definition of the type for the whole platform: the backends partition every record by it.
export type { Environment };

export const ENVIRONMENTS: readonly Environment[] = Object.freeze(['test', 'live']);

export function isEnvironment(value: unknown): value is Environment {
  return value === 'test' || value === 'live';
}
