// A secret shown once, right after it was created: read-only, selectable, with a copy button. Portico keeps only
// a digest of it, so this is the only time anyone sees it.
import { useState } from 'react';
import { Button } from './ui';

export function SecretReveal({ label, secret, testId }: { label: string; secret: string; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // Clipboard access needs a secure context or a permission; the field stays selectable either way.
      setCopied('failed');
    }
  };
  return (
    <div className="secret">
      <span className="secret-label">{label}</span>
      <div className="secret-row">
        <input
          className="input mono"
          readOnly
          value={secret}
          aria-label={label}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button tone="primary" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="hint" role="status">
        {copied === 'failed'
          ? 'Copying is blocked in this browser: select the text and copy it by hand.'
          : 'Store it now, in a secret manager. It will not be shown again.'}
      </p>
    </div>
  );
}
