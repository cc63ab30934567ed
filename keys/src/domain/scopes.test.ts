import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  formatScopeClaim,
  intersectScopes,
  isScope,
  isSubset,
  missingScopes,
  normaliseScopes,
  parseScope,
  parseScopeClaim,
  PLATFORM_SCOPES,
  PUBLIC_SCOPES,
  satisfies,
  validateScopes,
} from './scopes';

describe('the known scopes', () => {
  const schemas = (
    parseYaml(fs.readFileSync(path.join(__dirname, '../../../specs/platform/openapi.yaml'), 'utf8')) as {
      components: { schemas: Record<string, { enum: string[] }> };
    }
  ).components.schemas;

  test('are exactly the Scope enum of the management API spec', () => {
    expect([...PUBLIC_SCOPES]).toEqual(normaliseScopes(schemas.Scope?.enum ?? []));
  });

  test('platform scopes are exactly the PlatformScope enum of the spec', () => {
    expect([...PLATFORM_SCOPES]).toEqual(normaliseScopes(schemas.PlatformScope?.enum ?? []));
  });

  test('are kept in normalised order', () => {
    expect([...PUBLIC_SCOPES]).toEqual(normaliseScopes(PUBLIC_SCOPES));
  });
});

describe('parseScope', () => {
  test.each([
    ['crm:read', { api: 'crm', access: 'read' }],
    ['orders:write', { api: 'orders', access: 'write' }],
    ['platform:read', { api: 'platform', access: 'read' }],
    ['health-records:write', { api: 'health-records', access: 'write' }],
  ])('reads %s as api and access', (text, parsed) => {
    expect(parseScope(text)).toEqual(parsed);
    expect(isScope(text)).toBe(true);
  });

  test.each([
    'crm',
    'crm:',
    ':read',
    'crm:admin',
    'crm:*',
    '*',
    'CRM:read',
    'crm:Read',
    ' crm:read',
    'crm:read ',
    'crm:read:extra',
    '1crm:read',
    'crm_x:read',
    `${'a'.repeat(33)}:read`,
    '',
  ])('refuses %j', (text) => {
    expect(parseScope(text)).toBeNull();
    expect(isScope(text)).toBe(false);
  });
});

describe('normaliseScopes', () => {
  test.each([
    [
      ['orders:write', 'crm:read', 'crm:read', 'crm:write'],
      ['crm:read', 'crm:write', 'orders:write'],
    ],
    [
      ['entitlements:read', 'crm:write', 'crm:read'],
      ['crm:read', 'crm:write', 'entitlements:read'],
    ],
    [[], []],
  ])('dedupes and sorts %j', (input, output) => {
    expect(normaliseScopes(input)).toEqual(output);
  });

  test('sorts by code unit, independent of the locale', () => {
    expect(normaliseScopes(['b:read', 'B:read', 'a-b:read', 'ab:read'])).toEqual([
      'B:read',
      'a-b:read',
      'ab:read',
      'b:read',
    ]);
  });
});

describe('validateScopes', () => {
  test('returns the normalised list when every scope is known', () => {
    expect(validateScopes(['orders:read', 'crm:read', 'orders:read'], PUBLIC_SCOPES)).toEqual({
      ok: true,
      scopes: ['crm:read', 'orders:read'],
    });
  });

  test.each([
    [['crm:read', 'platform:read'], ['platform:read']],
    [
      ['crm:admin', 'billing:read', 'crm:admin'],
      ['billing:read', 'crm:admin'],
    ],
  ])('names the unknown scopes of %j', (input, unknown) => {
    expect(validateScopes(input, PUBLIC_SCOPES)).toEqual({ ok: false, unknown });
  });

  test('a public scope is not a platform scope', () => {
    expect(validateScopes(['crm:read'], PLATFORM_SCOPES)).toEqual({ ok: false, unknown: ['crm:read'] });
  });
});

describe('isSubset', () => {
  const app = ['crm:read', 'entitlements:read', 'entitlements:write'];
  test.each([
    ['the same scopes', app, true],
    ['fewer scopes', ['crm:read'], true],
    ['no scope', [], true],
    ['one scope beyond', ['crm:read', 'crm:write'], false],
    ['write where the app has only read', ['crm:write'], false],
  ])('a key with %s is within its app’s scopes → %s', (_case, requested, expected) => {
    expect(isSubset(requested, app)).toBe(expected);
    expect(isSubset(requested, new Set(app))).toBe(expected);
  });
});

describe('satisfies', () => {
  test.each([
    ['read granted, read required', ['crm:read'], ['crm:read'], true],
    ['write granted, write required', ['crm:write'], ['crm:write'], true],
    ['both granted, write required', ['crm:read', 'crm:write'], ['crm:write'], true],
    ['write granted, read required (write does not imply read)', ['crm:write'], ['crm:read'], false],
    ['read granted, write required', ['crm:read'], ['crm:write'], false],
    ['another API’s scope', ['orders:read'], ['crm:read'], false],
    ['nothing required', [], [], true],
    ['two required, one granted', ['crm:read'], ['crm:read', 'orders:read'], false],
  ])('%s → %s', (_case, granted, required, expected) => {
    expect(satisfies(granted, required)).toBe(expected);
  });
});

describe('missingScopes', () => {
  test('lists the required scopes not granted, normalised', () => {
    expect(missingScopes(['crm:read'], ['orders:write', 'crm:read', 'crm:write'])).toEqual([
      'crm:write',
      'orders:write',
    ]);
  });
});

describe('intersectScopes', () => {
  test('keeps the key’s scopes its app and plan still hold (effective scopes)', () => {
    const key = ['crm:read', 'crm:write', 'orders:read'] as const;
    const app = ['crm:read', 'crm:write', 'orders:read', 'orders:write'];
    const plan = ['crm:read', 'orders:read', 'orders:write'];
    expect(intersectScopes([...key], app, plan)).toEqual(['crm:read', 'orders:read']);
  });

  test('with no other list, normalises the first', () => {
    expect(intersectScopes(['orders:read', 'crm:read', 'crm:read'])).toEqual(['crm:read', 'orders:read']);
  });

  test('is empty when the lists share nothing', () => {
    expect(intersectScopes(['crm:read'], ['orders:read'])).toEqual([]);
  });
});

describe('scope claims (RFC 6749 §3.3)', () => {
  test('formats scopes space-separated, normalised', () => {
    expect(formatScopeClaim(['orders:read', 'crm:read', 'orders:read'])).toBe('crm:read orders:read');
  });

  test.each([
    ['crm:read orders:read', ['crm:read', 'orders:read']],
    ['orders:read  crm:read ', ['crm:read', 'orders:read']],
    ['', []],
  ])('parses %j', (claim, scopes) => {
    expect(parseScopeClaim(claim)).toEqual(scopes);
  });

  test('round-trips', () => {
    expect(parseScopeClaim(formatScopeClaim([...PUBLIC_SCOPES]))).toEqual([...PUBLIC_SCOPES]);
  });
});
