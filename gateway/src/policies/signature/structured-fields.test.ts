// RFC 8941 parsing as RFC 9421 uses it: valid dictionaries read back to the same canonical text, and every
// malformation (and the duplicates this profile refuses on purpose) is `undefined`, never an exception.
import { parseDictionary } from './structured-fields';
import { serializeBareItem, serializeDictionary } from './structured-fields-serialize';

describe('parseDictionary', () => {
  test.each([
    ['sig1=("@method" "@path");created=1618884473;keyid="test-key"', undefined],
    ['a=1, b=?0, c, d=:AQID:', undefined],
    ['a=-42;x=2.5;y=tok/en:x;z', undefined],
    ['  a=1 ,\tb=2  ', 'a=1, b=2'],
    ['sig=( "@method"   "@path" )', 'sig=("@method" "@path")'],
    ['a=1.50', 'a=1.5'],
    ['a=?1', 'a'],
    ['a="quote \\" and backslash \\\\"', undefined],
    ['a=:AQI:', 'a=:AQI=:'],
    ['', ''],
  ])('reads %j back as its canonical form', (text, canonical) => {
    const parsed = parseDictionary(text);
    expect(parsed).toBeDefined();
    expect(serializeDictionary(parsed!)).toBe(canonical ?? text);
  });

  test('keeps types, order and parameters', () => {
    const parsed = parseDictionary('sig1=("@method" "content-digest");created=1;nonce="n";alg="ed25519"')!;
    const member = parsed.get('sig1')!;
    expect(member.kind).toBe('inner_list');
    if (member.kind !== 'inner_list') return;
    expect(member.items.map((i) => i.value)).toEqual([
      { type: 'string', value: '@method' },
      { type: 'string', value: 'content-digest' },
    ]);
    expect([...member.params.keys()]).toEqual(['created', 'nonce', 'alg']);
    expect(member.params.get('created')).toEqual({ type: 'integer', value: 1 });
  });

  test.each([
    'A=1', // keys are lowercase
    '1a=1',
    'a=1,', // trailing comma
    'a=1,,b=2',
    'a=1 b=2',
    'a=1, a=2', // repeated key: refused on purpose
    'a=1;p=1;p=2', // repeated parameter: refused on purpose
    'a=("x""y")',
    'a=("x"',
    'a="unterminated',
    'a="bad \\n escape"',
    'a="tab\tinside"',
    'a=:not base64!:',
    'a=:AQID',
    'a=:A:', // a single base64 character encodes nothing
    'a=:A=AA:',
    'a=1234567890123456', // 16 digits
    'a=1234567890123.1', // 13 integer digits in a decimal
    'a=1.2345',
    'a=1.',
    'a=-',
    'a=?2',
    'a=@1659578233', // an RFC 9651 Date
    'a=%"display"', // an RFC 9651 Display String
    'a="é"',
    'a=1;',
    'a=()x',
  ])('refuses %j', (text) => {
    expect(parseDictionary(text)).toBeUndefined();
  });
});

describe('serializeBareItem', () => {
  test('prints each type in its one canonical form', () => {
    expect(serializeBareItem({ type: 'integer', value: -7 })).toBe('-7');
    expect(serializeBareItem({ type: 'decimal', value: 2 })).toBe('2.0');
    expect(serializeBareItem({ type: 'decimal', value: 0.1234 })).toBe('0.123');
    expect(serializeBareItem({ type: 'string', value: 'a"b\\c' })).toBe('"a\\"b\\\\c"');
    expect(serializeBareItem({ type: 'token', value: 'sha-256' })).toBe('sha-256');
    expect(serializeBareItem({ type: 'bytes', value: Buffer.from([1, 2, 3]) })).toBe(':AQID:');
    expect(serializeBareItem({ type: 'boolean', value: false })).toBe('?0');
  });

  test('refuses values that have no valid form', () => {
    expect(() => serializeBareItem({ type: 'integer', value: 1.5 })).toThrow(RangeError);
    expect(() => serializeBareItem({ type: 'integer', value: 1e16 })).toThrow(RangeError);
    expect(() => serializeBareItem({ type: 'string', value: 'line\nfeed' })).toThrow(RangeError);
    expect(() => serializeBareItem({ type: 'token', value: '1abc' })).toThrow(RangeError);
  });
});
