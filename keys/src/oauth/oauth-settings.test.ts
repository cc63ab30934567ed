// OAuth settings: defaults filled in, nonsense refused at start-up, and the retiring key's publication period.
import { oauthSettings, retiringPublishSeconds } from './oauth-settings';

const base = { issuer: 'https://gateway.portico.test', audience: 'https://api.portico.test' };

describe('oauthSettings', () => {
  test('defaults: ES256, at most 1 h tokens, 30 s leeway', () => {
    expect(oauthSettings(base)).toMatchObject({
      algorithm: 'ES256',
      maxTokenLifetimeSeconds: 3600,
      clockLeewaySeconds: 30,
      unknownKidRefreshSeconds: 10,
      keySetMaxAgeSeconds: 300,
    });
  });

  test.each([
    [{ issuer: '' }, /issuer/],
    [{ algorithm: 'HS256' as never }, /algorithm/],
    [{ clockLeewaySeconds: 600 }, /clockLeewaySeconds/],
    [{ maxTokenLifetimeSeconds: 10 }, /maxTokenLifetimeSeconds/],
    [{ unknownKidRefreshSeconds: -1 }, /unknownKidRefreshSeconds/],
  ])('refuses %p', (override, message) => {
    expect(() => oauthSettings({ ...base, ...override })).toThrow(message);
  });

  test('a retiring key stays published for the longest lifetime plus the leeway', () => {
    expect(retiringPublishSeconds(oauthSettings({ ...base, maxTokenLifetimeSeconds: 600 }))).toBe(630);
  });
});
