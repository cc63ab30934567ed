// Which credential a request presents, and the refusals: query-string keys are never read, two credentials at once
// and malformed headers are invalid.
import { presentedCredential } from './presented-credential';

const KEY = 'ptc_test_0123456789abcdefghijklmnopqrstuvwxyz0123';

describe('presentedCredential', () => {
  test.each([
    [{}, { kind: 'none' }],
    [{ authorization: `Bearer ${KEY}` }, { kind: 'api_key', value: KEY }],
    [{ authorization: `bearer   ${KEY}` }, { kind: 'api_key', value: KEY }],
    [{ 'x-api-key': ` ${KEY} ` }, { kind: 'api_key', value: KEY }],
    [
      { authorization: 'Bearer eyJhbGciOi.eyJzdWIi.c2ln' },
      { kind: 'access_token', value: 'eyJhbGciOi.eyJzdWIi.c2ln' },
    ],
    [{ signature: 'sig1=:AAAA:', 'signature-input': 'sig1=()' }, { kind: 'signature' }],
  ])('%j → %j', (headers, expected) => {
    expect(presentedCredential(headers)).toEqual(expected);
  });

  test.each([
    [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    [{ authorization: 'Bearer' }],
    [{ authorization: `Bearer ${KEY} extra` }],
    [{ authorization: `Bearer ${KEY}`, 'x-api-key': KEY }],
    [{ 'x-api-key': `${KEY}, ${KEY}` }],
    [{ 'x-api-key': '' }],
    [{ authorization: `Bearer ${KEY}`, signature: 'sig1=:AAAA:' }],
  ])('%j is invalid', (headers) => {
    expect(presentedCredential(headers).kind).toBe('invalid');
  });
});
