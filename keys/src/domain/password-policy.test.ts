import { checkPasswordPolicy, PASSWORD_PROBLEM_DETAILS } from './password-policy';
import type { PasswordProblem } from './password-policy';

describe('checkPasswordPolicy', () => {
  test.each<[string, string, PasswordProblem[]]>([
    ['a long passphrase', 'correct horse battery staple', []],
    ['exactly 12 characters', 'abcdefghij1!', []],
    ['spaces and any characters', '  药房 clinic 2026 ✓ ', []],
    ['11 characters', 'abcdefghij1', ['too_short']],
    ['an empty password', '', ['too_short']],
    ['12 code points of which some are astral', '🔑🔑🔒🔒🔐🔐🗝🗝🔏🔏x1', []],
    ['6 astral characters (12 UTF-16 units)', '🔑🔒🔐🗝🔏🔓', ['too_short']],
    ['256 characters', 'a1'.repeat(128), []],
    ['257 characters', `${'a1'.repeat(128)}b`, ['too_long']],
    ['one character repeated', 'aaaaaaaaaaaaaaaa', ['one_character_repeated']],
    ['one character repeated, short', 'zzz', ['too_short', 'one_character_repeated']],
    ['a common password', 'password1234', ['common']],
    ['a common password in capitals', 'PASSWORD1234', ['common']],
  ])('%s → %j', (_case, password, problems) => {
    expect(checkPasswordPolicy(password)).toEqual(problems);
  });

  test.each<[string, string, PasswordProblem[]]>([
    ['the email itself', 'pharmacist.li@clinic.example', ['email']],
    ['the email in other case', 'Pharmacist.Li@Clinic.Example', ['email']],
    ['the email with a suffix', 'pharmacist.li@clinic.example2026', ['email']],
    ['the local part of the email', 'pharmacist.li', ['email']],
    ['a password unrelated to the email', 'herbal-tea-at-noon', []],
  ])('for the member pharmacist.li@clinic.example, refuses %s', (_case, password, problems) => {
    expect(checkPasswordPolicy(password, { email: ' Pharmacist.Li@clinic.example ' })).toEqual(problems);
  });

  test('refuses a password from the deployment’s own denylist', () => {
    const denylist = new Set(['herbal-tea-at-noon']);
    expect(checkPasswordPolicy('Herbal-Tea-At-Noon', { denylist })).toEqual(['common']);
  });

  test('an empty email refuses nothing', () => {
    expect(checkPasswordPolicy('herbal-tea-at-noon', { email: '' })).toEqual([]);
  });

  test('has a sentence for every problem, for the 422 detail', () => {
    const problems: PasswordProblem[] = [
      'too_short',
      'too_long',
      'one_character_repeated',
      'email',
      'common',
    ];
    for (const problem of problems) expect(PASSWORD_PROBLEM_DETAILS[problem]).toMatch(/^The password .+\.$/);
  });
});
