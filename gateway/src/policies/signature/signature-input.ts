// Reads the `Signature-Input` and `Signature` fields (RFC 9421 §4.1, §4.2) into the one signature this profile
// verifies. Anything the profile does not define is refused rather than ignored: a verifier that skips what it does
// not understand can be made to accept a signature that means something else to the signer.
import {
  parseDictionary,
  type BareItem,
  type InnerList,
  type Item,
  type Parameters,
} from './structured-fields';

/** One signature, as received: what it covers and its parameters, in the signer's order. */
export interface ReceivedSignature {
  readonly label: string;
  readonly covered: readonly string[];
  /** Exactly as received (order included): the `@signature-params` line is built from them. */
  readonly params: Parameters;
  readonly created?: number;
  readonly expires?: number;
  readonly nonce?: string;
  readonly keyid?: string;
  readonly alg?: string;
  /** Application-specific (§2.3); signed over, not interpreted. */
  readonly tag?: string;
  readonly signature: Buffer;
}

export type SignatureHeadersParse =
  { ok: true; signature: ReceivedSignature } | { ok: false; detail: string };

/** Node's parser allows 16 KiB of headers in all; a signature never needs more than this. */
const MAX_FIELD_LENGTH = 8192;
const MAX_COVERED = 32;

// §2.3: the metadata parameters of the HTTP Signature Metadata Parameters registry, with their types.
const PARAM_TYPES: ReadonlyMap<string, BareItem['type']> = new Map([
  ['created', 'integer'],
  ['expires', 'integer'],
  ['nonce', 'string'],
  ['alg', 'string'],
  ['keyid', 'string'],
  ['tag', 'string'],
]);

/**
 * Parses both fields. The profile verifies exactly one signature per request: both dictionaries hold one member,
 * under the same label. Component identifiers carry no parameters here (`;sf`, `;key`, `;bs`, `;req`, `;tr`).
 */
export function parseSignatureHeaders(
  signatureInput: string | string[] | undefined,
  signature: string | string[] | undefined,
): SignatureHeadersParse {
  const inputText = joinLines(signatureInput);
  const signatureText = joinLines(signature);
  if (inputText === undefined || signatureText === undefined) {
    return { ok: false, detail: 'Signature and Signature-Input are both required' };
  }
  if (inputText.length > MAX_FIELD_LENGTH || signatureText.length > MAX_FIELD_LENGTH) {
    return { ok: false, detail: 'signature field too long' };
  }
  const inputs = parseDictionary(inputText);
  const signatures = parseDictionary(signatureText);
  if (inputs === undefined) return { ok: false, detail: 'Signature-Input is not a structured dictionary' };
  if (signatures === undefined) return { ok: false, detail: 'Signature is not a structured dictionary' };
  if (inputs.size !== 1 || signatures.size !== 1) {
    return { ok: false, detail: 'exactly one signature expected' };
  }
  const [label, input] = inputs.entries().next().value as [string, Item | InnerList];
  const value = signatures.get(label);
  if (value === undefined) return { ok: false, detail: 'Signature and Signature-Input labels differ' };
  if (value.kind !== 'item' || value.value.type !== 'bytes' || value.params.size > 0) {
    return { ok: false, detail: 'the signature is not a byte sequence' };
  }
  if (input.kind !== 'inner_list') {
    return { ok: false, detail: 'Signature-Input member is not an inner list' };
  }
  if (input.items.length === 0 || input.items.length > MAX_COVERED) {
    return { ok: false, detail: 'covered components: 1 to 32' };
  }

  const covered: string[] = [];
  for (const item of input.items) {
    if (item.value.type !== 'string') return { ok: false, detail: 'a component identifier is not a string' };
    if (item.params.size > 0) return { ok: false, detail: 'component parameters are not supported' };
    covered.push(item.value.value);
  }

  const received: { -readonly [K in keyof ReceivedSignature]: ReceivedSignature[K] } = {
    label,
    covered,
    params: input.params,
    signature: value.value.value,
  };
  for (const [name, param] of input.params) {
    const expected = PARAM_TYPES.get(name);
    if (expected === undefined) return { ok: false, detail: `unknown signature parameter ${name}` };
    if (param.type !== expected) {
      return { ok: false, detail: `signature parameter ${name} is not a ${expected}` };
    }
    if (param.type === 'integer') received[name as 'created' | 'expires'] = param.value;
    else if (param.type === 'string') received[name as 'nonce' | 'keyid' | 'alg' | 'tag'] = param.value;
  }
  return { ok: true, signature: received };
}

/** RFC 9110 §5.3: several field lines are one value joined with commas (Node joins most fields itself). */
function joinLines(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}
