// What a docs page must not contain under a CSP without 'unsafe-inline' for scripts: a <script> with inline content
// or without src, an on* event-handler attribute, a javascript: URL. A small tag scanner, enough for our own pages.

export function scriptViolations(markup: string): string[] {
  const violations: string[] = [];
  // Comments could hide or fake tags; drop them first.
  const text = markup.replace(/<!--[\s\S]*?-->/g, '');
  const scriptPattern = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let match = scriptPattern.exec(text); match; match = scriptPattern.exec(text)) {
    const attributes = match[1] ?? '';
    if (!/\ssrc\s*=\s*["']?[^"'\s>]+/i.test(` ${attributes}`))
      violations.push(`script without src: ${match[0].slice(0, 80)}`);
    if ((match[2] ?? '').trim() !== '') violations.push(`inline script content: ${match[0].slice(0, 80)}`);
  }
  const tagPattern = /<[a-zA-Z][^>]*>/g;
  for (let match = tagPattern.exec(text); match; match = tagPattern.exec(text)) {
    if (/\son[a-z]+\s*=/i.test(match[0]))
      violations.push(`event-handler attribute: ${match[0].slice(0, 80)}`);
    if (/=\s*["']?\s*javascript:/i.test(match[0]))
      violations.push(`javascript: URL: ${match[0].slice(0, 80)}`);
  }
  return violations;
}
