// The RateLimit-Policy and RateLimit response fields of draft-ietf-httpapi-ratelimit-headers-11 (the latest draft),
// as DESIGN.md shows them: `RateLimit-Policy: "burst";q=50;w=1, "day";q=10000;w=86400` and
// `RateLimit: "day";r=9876;t=3600`. Both are Structured Field Lists (RFC 9651) of String items with parameters.

/** A quota policy item (draft §3.1): the plan's name for a limit, its quota `q` and its window `w` in seconds. */
export interface QuotaPolicy {
  name: string;
  quota: number;
  windowSeconds: number;
}

/** A service limit item (draft §4.1): what is left (`r`) of a policy and for how many seconds (`t`). */
export interface ServiceLimit {
  name: string;
  remaining: number;
  resetSeconds: number;
}

/** What the app sets on the response; empty when the caller has no limits to announce. */
export type RateLimitHeaders = Readonly<Record<string, string>>;

/**
 * The policy closest to exhaustion: the one leaving the fewest requests per second until its window ends (r/t).
 * Draft Appendix B.1.2 and B.3.1: with a daily and an hourly policy, the server reports only the one "closest
 * limit to reach", and §4 lets it omit the others. Comparing r/t rather than r alone is what makes the example of
 * DESIGN.md come out right: 49 left of a 1-second burst is a looser constraint than 9876 left for an hour.
 * Ties go to the longer wait, so an exhausted daily quota is reported rather than an exhausted 1-second burst.
 */
export function closestToExhaustion(limits: readonly ServiceLimit[]): ServiceLimit | undefined {
  let closest: ServiceLimit | undefined;
  for (const limit of limits) {
    if (!closest) {
      closest = limit;
      continue;
    }
    const rate = limit.remaining / limit.resetSeconds;
    const closestRate = closest.remaining / closest.resetSeconds;
    if (rate < closestRate || (rate === closestRate && limit.resetSeconds > closest.resetSeconds)) {
      closest = limit;
    }
  }
  return closest;
}

/** `"burst";q=50;w=1, "day";q=10000;w=86400` (draft §3; q §3.1.1, w §3.1.3), or undefined for no policies. */
export function formatRateLimitPolicy(policies: readonly QuotaPolicy[]): string | undefined {
  if (policies.length === 0) return undefined; // §3: the field is a non-empty List.
  return policies
    .map((p) => `${sfString(p.name)};q=${sfInteger(p.quota)};w=${Math.max(1, sfInteger(p.windowSeconds))}`)
    .join(', ');
}

/** `"day";r=9876;t=3600` (draft §4; r §4.1.1, t §4.1.2). */
export function formatRateLimit(limit: ServiceLimit): string {
  return `${sfString(limit.name)};r=${sfInteger(limit.remaining)};t=${sfInteger(limit.resetSeconds)}`;
}

/**
 * Both fields for a response: every policy of the plan, and the service limit closest to exhaustion among those
 * whose state is known (a limit skipped because its store failed open is not guessed at). `report` forces the
 * item, as on a 429, where the field must describe the violated policy and agree with Retry-After (draft §6).
 */
export function rateLimitHeaders(
  policies: readonly QuotaPolicy[] | string | undefined,
  known: readonly ServiceLimit[],
  report?: ServiceLimit,
): RateLimitHeaders {
  const headers: Record<string, string> = {};
  // A formatted RateLimit-Policy may be passed in: it is the same for every request on a plan (limits.ts caches it).
  const policy =
    typeof policies === 'string' || policies === undefined ? policies : formatRateLimitPolicy(policies);
  if (policy !== undefined) headers['RateLimit-Policy'] = policy;
  const item = report ?? closestToExhaustion(known);
  if (item) headers['RateLimit'] = formatRateLimit(item);
  return headers;
}

/**
 * RFC 9651 §4.1.6: a String is DQUOTE-delimited printable ASCII with `"` and `\` escaped. Plan names are chosen
 * by an operator; anything outside %x20-7E is replaced rather than emitted as an unparseable field, which a
 * client must ignore entirely (draft §7).
 */
function sfString(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** RFC 9651 §3.3.1: Integers are at most 15 digits; counts are never negative in these fields. */
function sfInteger(value: number): number {
  return Math.min(999_999_999_999_999, Math.max(0, Math.floor(value)));
}
