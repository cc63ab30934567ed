// safeReturnTo: a returnTo pointing anywhere but a path of this portal sends the member home (open redirects).
import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  test.each([
    ['/apps', '/apps'],
    ['/apps/app_1?tab=keys#x', '/apps/app_1?tab=keys#x'],
    ['/docs/api/crm', '/docs/api/crm'],
    ['/a/../apps', '/apps'],
  ])('keeps the portal path %s', (raw, expected) => {
    expect(safeReturnTo(raw)).toBe(expected);
  });

  test.each([
    [null],
    [''],
    ['https://evil.example/'],
    ['http://127.0.0.1:3000/apps'],
    ['//evil.example/path'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['javascript:alert(1)'],
    ['/\tevil'],
    ['/%0a//evil.example'.replace('%0a', '\n')],
    ['apps'],
    ['/login?returnTo=/apps'],
    ['/signup'],
    ['/.//evil.example'],
    ['/a/..//evil.example'],
    ['/%2e//evil.example'],
  ])('sends %j home', (raw) => {
    expect(safeReturnTo(raw)).toBe('/');
  });
});
