// Timestamps are stored as ISO-8601 UTC text with milliseconds, so that comparing the text compares the instants.
// Anything a caller sends (`+08:00` offsets, no milliseconds) is normalised to that form before it is stored.
export function toStoredTimestamp(value: string): string {
  return new Date(value).toISOString();
}

export function addDays(timestamp: string, days: number): string {
  return new Date(new Date(timestamp).getTime() + days * 86_400_000).toISOString();
}
