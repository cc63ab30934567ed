// Scope grants of the token endpoint: requested ∩ client ∩ app ∩ plan, everything held when nothing is requested,
// and invalid_scope (naming only the refused scopes) for anything not held or malformed.
import { grantScopes } from './token-scope';

const held = {
  client: ['crm:read', 'crm:write', 'orders:read'],
  app: ['crm:read', 'crm:write', 'orders:read', 'orders:write'],
  plan: ['crm:read', 'orders:read', 'orders:write'],
};

describe('grantScopes', () => {
  test('without a request, every scope held by client, app and plan alike', () => {
    expect(grantScopes(undefined, held)).toEqual({ ok: true, scopes: ['crm:read', 'orders:read'] });
    expect(grantScopes('', held)).toEqual({ ok: true, scopes: ['crm:read', 'orders:read'] });
  });

  test('a request within the held scopes is granted as asked, normalised', () => {
    expect(grantScopes('orders:read crm:read crm:read', held)).toEqual({
      ok: true,
      scopes: ['crm:read', 'orders:read'],
    });
  });

  test('a scope the client holds but its plan does not is refused, and only the refused scopes are named', () => {
    expect(grantScopes('crm:read crm:write', held)).toEqual({
      ok: false,
      reason: 'not_held',
      scopes: ['crm:write'],
    });
    expect(grantScopes('admin:everything', held)).toMatchObject({ ok: false, reason: 'not_held' });
  });

  test.each([['two  spaces'], ['quote"d'], [' leading'], [42]])('%p is malformed', (requested) => {
    expect(grantScopes(requested, held)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test('a client that holds nothing gets no token', () => {
    expect(grantScopes(undefined, { ...held, plan: [] })).toEqual({ ok: false, reason: 'none', scopes: [] });
  });

  test('scopes no API offers are never granted, even if stored everywhere', () => {
    const odd = { client: ['legacy:read'], app: ['legacy:read'], plan: ['legacy:read'] };
    expect(grantScopes('legacy:read', odd)).toMatchObject({ ok: false, reason: 'not_held' });
  });
});
