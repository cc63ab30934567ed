// The gateway's rate-limit state on any answer (draft-ietf-httpapi-ratelimit-headers): which limit is closest,
// how many requests remain in it and when its window resets — to slow down before a 429 rather than after.
export interface RateLimitState {
  /** The policy's name, e.g. "day" or "burst" (RateLimit-Policy lists each policy's quota and window). */
  policy: string;
  /** Requests that remain in the window. */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * The RateLimit header of a response, parsed (`"day";r=9876;t=3600` → { policy: 'day', remaining: 9876,
 * resetSeconds: 3600 }). Undefined when the answer has none or it cannot be read. The gateway reports the most
 * restrictive limit; when a header carries several, the one with the fewest remaining requests is returned.
 */
export function rateLimitOf(response: Pick<Response, 'headers'> | undefined): RateLimitState | undefined {
  const header = response?.headers.get('ratelimit');
  if (!header) return undefined;
  let closest: RateLimitState | undefined;
  // RFC 8941 list members: a string item with parameters (;r=…;t=…), separated by commas.
  for (const match of header.matchAll(/"((?:[^"\\]|\\.)*)"((?:\s*;\s*[a-z*][a-z0-9_.*-]*(?:=[^;,]*)?)*)/g)) {
    const parameters = new Map(
      [...match[2]!.matchAll(/;\s*([a-z*][a-z0-9_.*-]*)=([^;,\s]*)/g)].map((p) => [p[1]!, p[2]!] as const),
    );
    const remaining = Number(parameters.get('r'));
    const resetSeconds = Number(parameters.get('t'));
    if (!Number.isInteger(remaining) || !Number.isInteger(resetSeconds) || remaining < 0 || resetSeconds < 0)
      continue;
    const state = { policy: match[1]!.replace(/\\(.)/g, '$1'), remaining, resetSeconds };
    if (!closest || state.remaining < closest.remaining) closest = state;
  }
  return closest;
}
