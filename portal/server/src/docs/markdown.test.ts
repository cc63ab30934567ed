// The markdown renderer never passes raw HTML through, and turns links to repository files into docs links.
import fs from 'node:fs';
import path from 'node:path';
import { problemCatalog } from '../../../../internal/src/problem/catalog';
import { bundleSpec } from './bundle-spec';
import { html } from './html';
import { createMarkdownRenderer, resolveRepoLink } from './markdown';
import { problemSections } from './problems';
import { scriptViolations } from './testing/script-audit';

const repoRoot = path.resolve(__dirname, '../../../..');

describe('markdown renderer', () => {
  const markdown = createMarkdownRenderer();

  test('escapes raw HTML: a <script> or an on* attribute in markdown is shown as text, never run', () => {
    const out = markdown.render(
      'Hello <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))',
      'docs/x.md',
    ).value;
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('href="javascript:');
    expect(scriptViolations(out)).toEqual([]);
  });

  test('links to files with a docs page point at it; others become text naming the repository path', () => {
    const out = markdown.render(
      '[ref](../specs/orders/openapi.yaml) [p](problems.md#rate_limited) [ex](../examples/quickstart.ts) [w](https://x.example/a)',
      'docs/getting-started.md',
    ).value;
    expect(out).toContain('<a href="/docs/api/orders">ref</a>');
    expect(out).toContain('<a href="/docs/problems/rate_limited">p</a>');
    expect(out).toContain(
      '<span class="repo-ref">ex</span> (<code>examples/quickstart.ts</code> in the repository)',
    );
    expect(out).toContain('<a href="https://x.example/a">w</a>');
    expect(resolveRepoLink('#not_found', 'docs/problems.md')).toEqual({
      kind: 'page',
      href: '/docs/problems/not_found',
    });
  });

  test('the html helper escapes every interpolated string', () => {
    const name = '"><script>alert(1)</script>';
    expect(html`<a title="${name}">${name}</a>`.value).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>',
    );
  });
});

describe('docs content', () => {
  test('docs/problems.md has a section for every code of the catalog, and none for an unknown code', () => {
    const { sections } = problemSections(fs.readFileSync(path.join(repoRoot, 'docs/problems.md'), 'utf8'));
    const codes = Object.keys(problemCatalog);
    expect(codes.filter((code) => !sections.get(code))).toEqual([]);
    expect([...sections.keys()].filter((code) => !codes.includes(code))).toEqual([]);
  });

  test.each(['crm', 'orders', 'entitlements', 'platform'])(
    'the bundled %s spec has only local $refs, and each resolves',
    (name) => {
      const doc = bundleSpec(path.join(repoRoot, 'specs', name, 'openapi.yaml'));
      const refs: string[] = [];
      JSON.stringify(doc, (key, value: unknown) => {
        if (key === '$ref' && typeof value === 'string') refs.push(value);
        return value;
      });
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of new Set(refs)) {
        expect(ref.startsWith('#/')).toBe(true);
        let node: unknown = doc;
        for (const token of ref.slice(2).split('/')) {
          node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
        }
        expect({ ref, resolved: node !== undefined }).toEqual({ ref, resolved: true });
      }
      const schemes = (doc.components as Record<string, Record<string, { type?: string }>>).securitySchemes!;
      if (name !== 'platform') expect(schemes.apiKey).toMatchObject({ type: 'apiKey', name: 'X-API-Key' });
    },
  );
});
