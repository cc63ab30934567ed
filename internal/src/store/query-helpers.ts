// Small helpers every service store needs: LIKE patterns with escaped wildcards, JSON columns, paging.
import type { Identity } from '../http/locals';

/** A tenant's partition: every row is written with it and every query filters on it. */
export type TenantScope = Identity;

/** A pattern matching `text` anywhere, with LIKE's wildcards escaped (use with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJsonText<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}
