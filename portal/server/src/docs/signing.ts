// The signing guide: specs/signatures/README.md rendered, followed by the golden test vectors of
// specs/signatures/vectors.json (RFC 9421 signature bases and their expected outcome), for SDK authors to check
// their implementation against.
import { html, type SafeHtml } from './html';

interface Vector {
  name: string;
  key: string;
  now: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string | null };
  signatureBase?: string | null;
  expected: { outcome: string };
}

interface VectorFile {
  description?: string;
  keys: Record<string, { keyid: string; algorithm: string; [name: string]: unknown }>;
  vectors: Vector[];
}

export function vectorsBody(file: VectorFile): SafeHtml {
  const keys = Object.entries(file.keys).map(
    ([name, key]) =>
      html`<tr>
        <td><code>${name}</code></td>
        <td><code>${key.keyid}</code></td>
        <td>${key.algorithm}</td>
      </tr>`,
  );
  const summary = file.vectors.map(
    (vector, index) =>
      html`<tr>
        <td><a href="#vector-${index + 1}">${vector.name}</a></td>
        <td><code>${vector.key}</code></td>
        <td><code>${vector.expected.outcome}</code></td>
      </tr>`,
  );
  const details = file.vectors.map((vector, index) => {
    const headers = Object.entries(vector.request.headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n');
    const request = `${vector.request.method} ${vector.request.url}\n${headers}${
      vector.request.body ? `\n\n${vector.request.body}` : ''
    }`;
    return html`<section class="vector" id="vector-${index + 1}" aria-labelledby="vector-${index + 1}-title">
      <h3 id="vector-${index + 1}-title">${index + 1}. ${vector.name}</h3>
      <dl class="facts">
        <dt>Key</dt>
        <dd><code>${vector.key}</code></dd>
        <dt>Verified at</dt>
        <dd><code>${vector.now}</code> (${new Date(vector.now * 1000).toISOString()})</dd>
        <dt>Expected outcome</dt>
        <dd><code>${vector.expected.outcome}</code></dd>
      </dl>
      <h4>Request</h4>
      <pre><code>${request}</code></pre>
      ${
        vector.signatureBase
          ? html`<h4>Signature base</h4>
              <pre><code>${vector.signatureBase}</code></pre>`
          : ''
      }
    </section>`;
  });
  return html`<h2 id="vectors">Test vectors</h2>
    <p>
      ${file.description ?? ''} The keys below are published for tests only; never use them for real traffic.
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">keyid</th>
          <th scope="col">Algorithm</th>
        </tr>
      </thead>
      <tbody>
        ${keys}
      </tbody>
    </table>
    <table>
      <thead>
        <tr>
          <th scope="col">Vector</th>
          <th scope="col">Key</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        ${summary}
      </tbody>
    </table>
    ${details}`;
}
