// RFC 8941 Structured Field Values, as much as RFC 9421 and RFC 9530 need: Dictionaries whose members are Items or
// Inner Lists, with Parameters, and every bare item type of RFC 8941 §3.3. Parsing is strict and never throws: a
// malformed field is `undefined`, and the caller answers it like any other failed signature.
export type BareItem =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'token'; readonly value: string }
  | { readonly type: 'bytes'; readonly value: Buffer }
  | { readonly type: 'boolean'; readonly value: boolean };

/** Ordered, as the serialization must reproduce the order received (RFC 9421 §2.3). */
export type Parameters = ReadonlyMap<string, BareItem>;

export interface Item {
  readonly kind: 'item';
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly kind: 'inner_list';
  readonly items: readonly Item[];
  readonly params: Parameters;
}

export type Dictionary = ReadonlyMap<string, Item | InnerList>;

/**
 * RFC 8941 §4.2.2. Stricter than the RFC in one way, on purpose: a key repeated in the dictionary or in one
 * parameter list is a failure rather than "last one wins", so two parsers can never read the same signature
 * header differently (a parser differential is how signature checks get bypassed).
 */
export function parseDictionary(input: string): Dictionary | undefined {
  try {
    return new Parser(input).dictionary();
  } catch (error) {
    if (error instanceof SfParseError) return undefined;
    throw error;
  }
}

/** Thrown inside the parser only; parseDictionary turns it into `undefined`. */
class SfParseError extends Error {}

const DIGIT = /[0-9]/;
const ALPHA = /[A-Za-z]/;
const KEY_FIRST = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
// RFC 9110 §5.6.2 tchar, plus ':' and '/' which RFC 8941 §3.3.4 allows in tokens.
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class Parser {
  private pos = 0;

  constructor(private readonly input: string) {
    // §4.2: the field is ASCII; anything else fails parsing.
    if (!/^[\x20-\x7e\t]*$/.test(input)) throw new SfParseError();
  }

  dictionary(): Dictionary {
    const members = new Map<string, Item | InnerList>();
    this.skip(' ');
    while (this.pos < this.input.length) {
      const key = this.key();
      let member: Item | InnerList;
      if (this.peek() === '=') {
        this.pos += 1;
        member = this.peek() === '(' ? this.innerList() : this.item();
      } else {
        member = { kind: 'item', value: { type: 'boolean', value: true }, params: this.parameters() };
      }
      if (members.has(key)) throw new SfParseError();
      members.set(key, member);
      this.skipOws();
      if (this.pos >= this.input.length) return members;
      if (this.input[this.pos] !== ',') throw new SfParseError();
      this.pos += 1;
      this.skipOws();
      // §4.2.2: a trailing comma fails.
      if (this.pos >= this.input.length) throw new SfParseError();
    }
    return members;
  }

  private innerList(): InnerList {
    this.expect('(');
    const items: Item[] = [];
    while (this.pos < this.input.length) {
      this.skip(' ');
      if (this.peek() === ')') {
        this.pos += 1;
        return { kind: 'inner_list', items, params: this.parameters() };
      }
      items.push(this.item());
      const next = this.peek();
      if (next !== ' ' && next !== ')') throw new SfParseError();
    }
    throw new SfParseError();
  }

  private item(): Item {
    const value = this.bareItem();
    return { kind: 'item', value, params: this.parameters() };
  }

  private parameters(): Parameters {
    const params = new Map<string, BareItem>();
    while (this.peek() === ';') {
      this.pos += 1;
      this.skip(' ');
      const key = this.key();
      let value: BareItem = { type: 'boolean', value: true };
      if (this.peek() === '=') {
        this.pos += 1;
        value = this.bareItem();
      }
      if (params.has(key)) throw new SfParseError();
      params.set(key, value);
    }
    return params;
  }

  private key(): string {
    const start = this.pos;
    if (!KEY_FIRST.test(this.peek())) throw new SfParseError();
    this.pos += 1;
    while (KEY_CHAR.test(this.peek())) this.pos += 1;
    return this.input.slice(start, this.pos);
  }

  private bareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || DIGIT.test(c)) return this.number();
    if (c === '"') return this.string();
    if (c === ':') return this.bytes();
    if (c === '?') return this.boolean();
    if (c === '*' || ALPHA.test(c)) return this.token();
    // Dates (`@`) and Display Strings (`%`) of RFC 9651 are not part of RFC 8941, which RFC 9421 builds on.
    throw new SfParseError();
  }

  /** §4.2.4: at most 15 integer digits; a decimal has at most 12 before the point and 1–3 after it. */
  private number(): BareItem {
    const match = /^(-?)([0-9]+)(?:\.([0-9]*))?/.exec(this.input.slice(this.pos));
    if (match === null) throw new SfParseError();
    const [whole, sign, integer, fraction] = match as unknown as [string, string, string, string | undefined];
    this.pos += whole.length;
    if (fraction === undefined) {
      if (integer.length > 15) throw new SfParseError();
      return { type: 'integer', value: Number(sign + integer) };
    }
    if (integer.length > 12 || fraction.length < 1 || fraction.length > 3) throw new SfParseError();
    return { type: 'decimal', value: Number(`${sign}${integer}.${fraction}`) };
  }

  private string(): BareItem {
    this.expect('"');
    let value = '';
    while (this.pos < this.input.length) {
      const c = this.input[this.pos++] as string;
      if (c === '\\') {
        const escaped = this.input[this.pos++];
        if (escaped !== '"' && escaped !== '\\') throw new SfParseError();
        value += escaped;
      } else if (c === '"') {
        return { type: 'string', value };
      } else if (c < ' ' || c > '~') {
        throw new SfParseError();
      } else {
        value += c;
      }
    }
    throw new SfParseError();
  }

  private token(): BareItem {
    const start = this.pos;
    this.pos += 1;
    while (TOKEN_CHAR.test(this.peek())) this.pos += 1;
    return { type: 'token', value: this.input.slice(start, this.pos) };
  }

  /**
   * §4.2.7. Only the base64 alphabet, padding only at the end; missing padding is tolerated as the RFC asks
   * ("SHOULD NOT fail"). The decoded bytes are what is compared, so an alternative spelling gains nothing.
   */
  private bytes(): BareItem {
    this.expect(':');
    const end = this.input.indexOf(':', this.pos);
    if (end < 0) throw new SfParseError();
    const text = this.input.slice(this.pos, end);
    this.pos = end + 1;
    if (!BASE64.test(text) || text.length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
      throw new SfParseError();
    }
    return { type: 'bytes', value: Buffer.from(text, 'base64') };
  }

  private boolean(): BareItem {
    this.expect('?');
    const c = this.input[this.pos++];
    if (c === '1') return { type: 'boolean', value: true };
    if (c === '0') return { type: 'boolean', value: false };
    throw new SfParseError();
  }

  private peek(): string {
    return this.input[this.pos] ?? '';
  }

  private expect(c: string): void {
    if (this.input[this.pos] !== c) throw new SfParseError();
    this.pos += 1;
  }

  private skip(c: string): void {
    while (this.input[this.pos] === c) this.pos += 1;
  }

  /** OWS (RFC 9110 §5.6.3): spaces and horizontal tabs. */
  private skipOws(): void {
    while (this.input[this.pos] === ' ' || this.input[this.pos] === '\t') this.pos += 1;
  }
}
