// RFC 8941 §4.1 serialization of the structures parse produces. The signature base depends on it byte for byte
// (RFC 9421 §2.3: `@signature-params` is the serialized inner list), so there is exactly one way to print a value.
// Serializing a value that has no valid form is a programming error and throws.
import type { BareItem, InnerList, Item, Parameters } from './structured-fields';

const KEY = /^[a-z*][a-z0-9_\-.*]*$/;
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
const MAX_INTEGER = 999_999_999_999_999;

/** §4.1.2: `key=value, key=(a b);p=1`; a boolean true member prints as its key and parameters alone. */
export function serializeDictionary(members: ReadonlyMap<string, Item | InnerList>): string {
  const out: string[] = [];
  for (const [key, member] of members) {
    const name = serializeKey(key);
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value) {
      out.push(name + serializeParameters(member.params));
    } else {
      out.push(
        `${name}=${member.kind === 'item' ? serializeItem(member) : serializeInnerList(member.items, member.params)}`,
      );
    }
  }
  return out.join(', ');
}

/** §4.1.1.1: `(item item);param=value`. */
export function serializeInnerList(items: readonly Item[], params: Parameters): string {
  return `(${items.map(serializeItem).join(' ')})${serializeParameters(params)}`;
}

export function serializeItem(item: Item): string {
  return serializeBareItem(item.value) + serializeParameters(item.params);
}

/** §4.1.1.2: `;key=value`, with `=?1` omitted for true. */
export function serializeParameters(params: Parameters): string {
  let out = '';
  for (const [key, value] of params) {
    out += `;${serializeKey(key)}`;
    if (!(value.type === 'boolean' && value.value)) out += `=${serializeBareItem(value)}`;
  }
  return out;
}

/** §4.1.3–§4.1.9. */
export function serializeBareItem(item: BareItem): string {
  switch (item.type) {
    case 'integer':
      if (!Number.isInteger(item.value) || Math.abs(item.value) > MAX_INTEGER) {
        throw new RangeError(`not an sf-integer: ${item.value}`);
      }
      return String(item.value);
    case 'decimal': {
      // §4.1.5: round to three decimal places (ties to even is not needed by any caller here).
      const rounded = Math.round(item.value * 1000) / 1000;
      if (!Number.isFinite(rounded) || Math.abs(Math.trunc(rounded)) >= 1e12) {
        throw new RangeError(`not an sf-decimal: ${item.value}`);
      }
      const text = String(rounded);
      return text.includes('.') ? text : `${text}.0`;
    }
    case 'string':
      if (!PRINTABLE.test(item.value)) throw new RangeError('an sf-string holds printable ASCII only');
      return `"${item.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    case 'token':
      if (!TOKEN.test(item.value)) throw new RangeError(`not an sf-token: ${item.value}`);
      return item.value;
    case 'bytes':
      return `:${item.value.toString('base64')}:`;
    case 'boolean':
      return item.value ? '?1' : '?0';
  }
}

function serializeKey(key: string): string {
  if (!KEY.test(key)) throw new RangeError(`not an sf-key: ${key}`);
  return key;
}
