// The problem type pages: /docs/problems lists every code of the catalog, /docs/problems/<code> explains one. A
// problem document's `type` is `${PORTICO_PROBLEM_BASE_URL}<code>`, and that base defaults to this page, so the
// URL a client receives opens the explanation (RFC 9457 §3.1.1: `type` SHOULD resolve to documentation).
import { problemCatalog, type ProblemCode } from '../../../../internal/src/problem/catalog';
import { html, type SafeHtml } from './html';
import type { MarkdownRenderer } from './markdown';

export interface ProblemDocs {
  intro: SafeHtml;
  /** Every catalog code, in catalog order, with its rendered section. */
  entries: ReadonlyArray<{ code: ProblemCode; status: number; title: string; body: SafeHtml }>;
  byCode: ReadonlyMap<string, { code: ProblemCode; status: number; title: string; body: SafeHtml }>;
}

/** The `## <code>` sections of docs/problems.md, by code, and the text before the first of them. */
export function problemSections(markdown: string): { intro: string; sections: Map<string, string> } {
  const sections = new Map<string, string>();
  const parts = markdown.split(/^## +/m);
  const intro = parts.shift() ?? '';
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const code = (newline === -1 ? part : part.slice(0, newline)).trim();
    sections.set(code, newline === -1 ? '' : part.slice(newline + 1).trim());
  }
  return { intro, sections };
}

export function buildProblemDocs(
  markdown: string,
  renderer: MarkdownRenderer,
  fromFile: string,
): ProblemDocs {
  const { intro, sections } = problemSections(markdown);
  const entries = (Object.keys(problemCatalog) as ProblemCode[]).map((code) => {
    const section = sections.get(code);
    // A code without a section is a bug in docs/problems.md (problems.test.ts fails on it); the page still answers.
    const body = renderer.render(section ?? `No description of \`${code}\` yet.`, fromFile);
    return { code, ...problemCatalog[code], body };
  });
  // The intro's own first heading is the page's <h1>.
  const introBody = intro.replace(/^# .*\n/, '');
  return {
    intro: renderer.render(introBody, fromFile),
    entries,
    byCode: new Map(entries.map((entry) => [entry.code, entry])),
  };
}

export function problemIndexBody(docs: ProblemDocs): SafeHtml {
  const rows = docs.entries.map(
    (entry) =>
      html`<tr>
        <td>
          <a href="/docs/problems/${entry.code}"><code>${entry.code}</code></a>
        </td>
        <td>${entry.status}</td>
        <td>${entry.title}</td>
      </tr>`,
  );
  return html`<h1>Problem types</h1>
    <div class="prose">${docs.intro}</div>
    <h2 id="codes">All codes</h2>
    <table class="problems">
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Status</th>
          <th scope="col">Title</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

export function problemPageBody(entry: ProblemDocs['entries'][number], problemBaseUrl: string): SafeHtml {
  return html`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="/docs/problems">Problem types</a> / <span>${entry.code}</span>
    </nav>
    <h1><code>${entry.code}</code></h1>
    <dl class="facts">
      <dt>Status</dt>
      <dd>${entry.status}</dd>
      <dt>Title</dt>
      <dd>${entry.title}</dd>
      <dt>Type</dt>
      <dd><code>${problemBaseUrl}${entry.code}</code></dd>
    </dl>
    <div class="prose">${entry.body}</div>`;
}
