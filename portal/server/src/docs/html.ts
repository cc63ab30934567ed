// The one way docs pages build HTML: a tagged template that escapes every interpolated value unless it is already
// markup made here (SafeHtml). Escaping at the point of interpolation is what keeps a spec title or a markdown file
// from writing script into a page (OWASP XSS prevention, rule 1).

import { escapeHtml } from '../http/escape-html';

/** Markup that is already safe to place in a page: built by `html` or by the markdown renderer. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export { escapeHtml };

type Interpolation = SafeHtml | string | number | undefined | null | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<a href="${url}">${text}</a>\``: strings are escaped, SafeHtml and arrays of it are placed as they are. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup produced by a renderer that escapes its input itself (markdown-it with html: false). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
