// The minimum a member password must meet (NIST SP 800-63B §5.1.1.2, as the spec's Password schema says):
// length, not one character repeated, not the member's email, not a well-known password. Reasons, not a boolean.

export type PasswordProblem = 'too_short' | 'too_long' | 'one_character_repeated' | 'email' | 'common';

export const PASSWORD_MIN_LENGTH = 12;
/** The spec's maxLength; long passphrases are welcome, unbounded input to scrypt is not. */
export const PASSWORD_MAX_LENGTH = 256;

/** A sentence per problem, for the `detail` of a 422 (the member chose the password; telling them is fine). */
export const PASSWORD_PROBLEM_DETAILS: Readonly<Record<PasswordProblem, string>> = Object.freeze({
  too_short: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
  one_character_repeated: 'The password must not be one character repeated.',
  email: 'The password must not be or contain your email address.',
  common: 'The password is too common; it appears in lists of breached passwords.',
});

// A few of the most frequent passwords of 12+ characters in public breach corpora. Deployments that want the
// full check pass a larger list through `denylist` (lower-case entries).
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  'password1234',
  'password123!',
  'passwordpassword',
  'qwertyuiop12',
  'qwertyuiopasdf',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qazwsxedcrfv',
  'iloveyou1234',
  'abcdefghijkl',
  'abc123abc123',
  'letmein12345',
  'welcome12345',
  'administrator',
  'portico12345',
  'porticoportico',
]);

export interface PasswordContext {
  /** The member's email: a password equal to it, containing it, or equal to its local part is refused. */
  readonly email?: string;
  /** Extra refused passwords, lower-case (e.g. a breached-password list loaded at start-up). */
  readonly denylist?: ReadonlySet<string>;
}

/** The problems of `password`, in a stable order; an empty list means it is acceptable. */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  // Lengths count Unicode code points after NFKC, as they are hashed (and as JSON Schema's minLength counts).
  const normalised = password.normalize('NFKC');
  const characters = [...normalised];
  if (characters.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (characters.length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (characters.length > 0 && characters.every((c) => c === characters[0]))
    problems.push('one_character_repeated');
  const lower = normalised.toLowerCase();
  if (context.email !== undefined && isEmailDerived(lower, context.email.trim().toLowerCase()))
    problems.push('email');
  if (COMMON_PASSWORDS.has(lower) || context.denylist?.has(lower) === true) problems.push('common');
  return problems;
}

function isEmailDerived(lowerPassword: string, email: string): boolean {
  if (email === '') return false;
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  return lowerPassword.includes(email) || lowerPassword.trim() === local;
}
