// Finds Portico secrets in free text: for leak scanners, for redacting logs, and for the tests that read a
// database dump and must find no full key, client secret or signing secret in it.
import { CHECKSUM_LENGTH, CREDENTIAL_FORMATS, DISPLAY_BODY_LENGTH, parseSecret } from './key-format';
import type { CredentialKind } from './key-format';
import type { Environment } from './environment';

export interface SecretMatch {
  readonly kind: CredentialKind;
  readonly environment: Environment | null;
  /** Where the secret starts in the text (UTF-16 index, as String.prototype.indexOf). */
  readonly index: number;
  readonly value: string;
  /**
   * Whether the checksum matches. A scanner that revokes leaked keys acts only on valid ones (the checksum is
   * what makes false positives negligible); a dump check treats any match as a failure.
   */
  readonly checksumValid: boolean;
}

const KIND_BY_TAG = new Map<string, CredentialKind>(
  Object.values(CREDENTIAL_FORMATS).map((fmt) => [fmt.tag, fmt.kind]),
);

// One alternative per kind, each with its exact length. The look-around keeps a longer run of token characters
// (a hash, a base64 blob) from matching in part: a secret is bounded by characters that cannot be part of one.
const SOURCE = `(?<![0-9A-Za-z_])(?:${Object.values(CREDENTIAL_FORMATS)
  .map(
    (fmt) =>
      `${fmt.tag}_${fmt.hasEnvironment ? '(?:test|live)_' : ''}[0-9A-Za-z]{${fmt.bodyLength + CHECKSUM_LENGTH}}`,
  )
  .join('|')})(?![0-9A-Za-z_])`;

/** Every Portico-format secret in `text`, in order of appearance. */
export function scanForSecrets(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  // A fresh RegExp per call: a shared global one would carry lastIndex between callers.
  for (const found of text.matchAll(new RegExp(SOURCE, 'g'))) {
    const value = found[0];
    const kind = KIND_BY_TAG.get(value.slice(0, 3)) as CredentialKind;
    const parsed = parseSecret(kind, value);
    const environment = CREDENTIAL_FORMATS[kind].hasEnvironment ? (value.slice(4, 8) as Environment) : null;
    matches.push({ kind, environment, index: found.index, value, checksumValid: parsed.ok });
  }
  return matches;
}

/**
 * `text` with every Portico secret replaced by its display form (`ptc_test_AbCd…wXyZ`): enough to tell which
 * key leaked, useless to an attacker. For messages that may quote a secret by mistake (errors, free-text notes).
 */
export function redactSecrets(text: string): string {
  return text.replace(new RegExp(SOURCE, 'g'), (value) => {
    const kind = KIND_BY_TAG.get(value.slice(0, 3)) as CredentialKind;
    const headLength = CREDENTIAL_FORMATS[kind].hasEnvironment ? 9 : 4;
    return `${value.slice(0, headLength + DISPLAY_BODY_LENGTH)}…${value.slice(-4)}`;
  });
}
