// Markdown to HTML for the docs pages: markdown-it with raw HTML off, so a `<script>` in a .md file is shown as
// text, never run. Relative links to repository files become docs pages when there is one, plain text otherwise
// (a link to a .ts file would 404 on the portal).
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { escapeHtml, trusted, type SafeHtml } from './html';

/** Repository files that have a docs page, by their path from the repository root. */
const PAGES: Readonly<Record<string, string>> = {
  'docs/getting-started.md': '/docs/getting-started',
  'docs/problems.md': '/docs/problems',
  'specs/crm/openapi.yaml': '/docs/api/crm',
  'specs/orders/openapi.yaml': '/docs/api/orders',
  'specs/entitlements/openapi.yaml': '/docs/api/entitlements',
  'specs/platform/openapi.yaml': '/docs/api/platform',
  'specs/signatures/README.md': '/docs/signing',
  'specs/signatures/vectors.json': '/docs/signing#vectors',
};

/** The docs URL of a link found in `fromFile` (repository-relative), or the repository path it names. */
export function resolveRepoLink(
  href: string,
  fromFile: string,
): { kind: 'page'; href: string } | { kind: 'repo'; path: string } | { kind: 'as-is' } {
  // Within docs/problems.md a `#code` link names another section, which is a page of its own here.
  if (fromFile === 'docs/problems.md' && /^#[a-z_]+$/.test(href)) {
    return { kind: 'page', href: `/docs/problems/${href.slice(1)}` };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#') || href === '') {
    return { kind: 'as-is' };
  }
  if (href.startsWith('/')) return { kind: 'as-is' };
  const [target = '', fragment] = href.split('#', 2);
  const repoPath = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), target));
  if (repoPath.startsWith('..')) return { kind: 'as-is' };
  const pageUrl = PAGES[repoPath];
  if (pageUrl === undefined) return { kind: 'repo', path: repoPath };
  // A section of the problems page is a page of its own (/docs/problems/<code>).
  if (pageUrl === '/docs/problems' && fragment && /^[a-z_]+$/.test(fragment)) {
    return { kind: 'page', href: `/docs/problems/${fragment}` };
  }
  return { kind: 'page', href: fragment && !pageUrl.includes('#') ? `${pageUrl}#${fragment}` : pageUrl };
}

type Token = MarkdownIt.Token;

export interface MarkdownRenderer {
  /** Renders `source`, read from `fromFile` (repository-relative, for its relative links). */
  render(source: string, fromFile: string): SafeHtml;
}

export function createMarkdownRenderer(): MarkdownRenderer {
  // html: false — raw HTML in markdown is escaped, not passed through; markdown-it's validateLink already refuses
  // javascript:, vbscript:, file: and most data: URLs.
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

  md.core.ruler.push('portico_repo_links', (state) => {
    const fromFile = (state.env as { fromFile?: string }).fromFile ?? '';
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      const open: Token[] = [];
      for (const token of block.children as Token[]) {
        if (token.type === 'link_open') {
          open.push(token);
          const resolved = resolveRepoLink(String(token.attrGet('href') ?? ''), fromFile);
          if (resolved.kind === 'page') token.attrSet('href', resolved.href);
          if (resolved.kind === 'repo') token.meta = { repoPath: resolved.path };
        } else if (token.type === 'link_close') {
          const opener = open.pop();
          if (opener?.meta?.repoPath) token.meta = opener.meta;
        }
      }
    }
  });

  const defaultOpen = md.renderer.rules.link_open;
  const defaultClose = md.renderer.rules.link_close;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    if (tokens[idx]!.meta?.repoPath) return '<span class="repo-ref">';
    return defaultOpen
      ? defaultOpen(tokens, idx, options, env, self)
      : self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.link_close = (tokens, idx, options, env, self) => {
    const repoPath = tokens[idx]!.meta?.repoPath as string | undefined;
    if (repoPath) return `</span> (<code>${escapeHtml(repoPath)}</code> in the repository)`;
    return defaultClose
      ? defaultClose(tokens, idx, options, env, self)
      : self.renderToken(tokens, idx, options);
  };

  return {
    render(source, fromFile) {
      return trusted(md.render(source, { fromFile }));
    },
  };
}
