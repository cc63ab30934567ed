// What a limits check concludes, as data the app maps to a response: admitted with the RateLimit fields to set,
// limited (429) or unavailable (503), each with its problem document and every header that response needs.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { LimiterKind } from './limits-options';
import type { RateLimitHeaders } from './rate-limit-headers';

/** The limit a 429 is about. */
export interface ViolatedLimit {
  kind: LimiterKind;
  /** The policy's name, as in RateLimit-Policy. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Quotas: the calendar period that must end before the allowance comes back. */
  period?: 'day' | 'month';
}

export type LimitDecision =
  /** Go on; set `headers` on the response, whatever its status. */
  | { outcome: 'admitted'; headers: RateLimitHeaders }
  /** 429: `problem` carries RateLimit-Policy, RateLimit and Retry-After (also in `headers`). */
  | {
      outcome: 'limited';
      violated: ViolatedLimit;
      retryAfterSeconds: number;
      headers: RateLimitHeaders;
      problem: ProblemError;
    }
  /** 503: the store failed and the limit's policy is `deny`; `problem` carries Retry-After. */
  | { outcome: 'unavailable'; retryAfterSeconds: number; headers: RateLimitHeaders; problem: ProblemError };

export function admitted(headers: RateLimitHeaders): LimitDecision {
  return { outcome: 'admitted', headers };
}

/** `subject` names the app or client for the log line only; the caller already knows who it is. */
export function limited(
  violated: ViolatedLimit,
  retryAfterSeconds: number,
  rateLimitHeaders: RateLimitHeaders,
  subject: string,
): LimitDecision {
  // RFC 9110 §10.2.3 delay-seconds; draft-ietf-httpapi-ratelimit-headers-11 §6: Retry-After is not earlier than
  // the end of the effective window reported in RateLimit, so both name the same moment.
  const headers = { ...rateLimitHeaders, 'Retry-After': String(retryAfterSeconds) };
  const problem = new ProblemError('rate_limited', describe(violated, retryAfterSeconds), {
    // Draft §5.1 names the exhausted policies in `violated-policies`; clients of the draft look for it there.
    extensions: { 'violated-policies': [violated.name] },
    headers,
    internalMessage: `${subject} over ${violated.kind} "${violated.name}" (${violated.limit}/${violated.windowSeconds}s)`,
  });
  return { outcome: 'limited', violated, retryAfterSeconds, headers, problem };
}

export function unavailable(
  retryAfterSeconds: number,
  rateLimitHeaders: RateLimitHeaders,
  internalMessage: string,
): LimitDecision {
  const headers = { ...rateLimitHeaders, 'Retry-After': String(retryAfterSeconds) };
  const problem = new ProblemError(
    'service_unavailable',
    `Usage limits cannot be checked at the moment. Retry after ${retryAfterSeconds} s.`,
    { headers, internalMessage },
  );
  return { outcome: 'unavailable', retryAfterSeconds, headers, problem };
}

function describe(violated: ViolatedLimit, retryAfterSeconds: number): string {
  switch (violated.kind) {
    case 'quota': {
      const period = violated.period ?? 'day';
      const adjective = period === 'day' ? 'daily' : 'monthly';
      return (
        `The ${adjective} quota "${violated.name}" of ${violated.limit} requests is used up; ` +
        `it renews at the start of the next UTC ${period}, in ${retryAfterSeconds} s.`
      );
    }
    case 'rate_limit':
      return (
        `The rate limit "${violated.name}" of ${violated.limit} requests per ${violated.windowSeconds} s is ` +
        `exhausted. Retry after ${retryAfterSeconds} s.`
      );
    case 'pre_auth':
      return `Too many requests from this address. Retry after ${retryAfterSeconds} s.`;
    case 'auth_failures':
      return `Too many failed authentication attempts from this address. Retry after ${retryAfterSeconds} s.`;
  }
}
