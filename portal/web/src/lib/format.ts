// How the portal writes dates, durations and numbers: one place, so every page agrees.
const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const date = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return `${dateTime.format(new Date(value))} UTC`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  return date.format(new Date(value));
}

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatMs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** "in 3 h", "2 d ago": for expiry and last-used columns. */
export function relativeTime(value: string | null | undefined, nowMs = Date.now()): string {
  if (!value) return '—';
  const deltaS = Math.round((new Date(value).getTime() - nowMs) / 1000);
  const abs = Math.abs(deltaS);
  const unit =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 86400
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86400)} d`;
  return deltaS >= 0 ? `in ${unit}` : `${unit} ago`;
}

/** A key as it may be shown after creation: its prefix and last four characters. */
export function maskedKey(prefix: string, last4: string): string {
  return `${prefix}…${last4}`;
}
