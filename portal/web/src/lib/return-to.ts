// Where to go after signing in. Only a path on this portal is honoured: an absolute URL, a protocol-relative
// `//host` or `/\host` (which browsers treat as `//host`) would turn the login page into an open redirect.
export function safeReturnTo(raw: string | null | undefined, home = '/'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return home;
  // Control characters and backslashes are refused outright: URL parsers differ on how they fold them.
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return home;
  const base = 'http://portal.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return home;
  }
  // Dot segments can fold `/.//evil.example` into `//evil.example`: check the normalised path again.
  if (url.origin !== base || url.pathname.startsWith('//')) return home;
  // Signing in again from the sign-in page would loop.
  if (url.pathname === '/login' || url.pathname === '/signup') return home;
  return `${url.pathname}${url.search}${url.hash}`;
}
