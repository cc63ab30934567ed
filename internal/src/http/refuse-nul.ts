// Refuses U+0000 anywhere in a JSON body or query: JSON (RFC 8259) can carry it, but PostgreSQL text cannot store
// it, so it would fail deep in the store as a 500 — and only on one of our two engines.
import type { RequestHandler } from 'express';
import { ProblemError, type ProblemFieldError } from '../problem/problem';

const NUL = '\u0000';
const MAX_REPORTED = 10;

export function refuseNulCharacters(): RequestHandler {
  return function refuseNulMiddleware(req, _res, next) {
    const errors: ProblemFieldError[] = [];
    collect(req.body, '', errors);
    for (const [name, value] of Object.entries(req.query)) {
      const values: unknown[] = Array.isArray(value) ? value : [value];
      if (name.includes(NUL) || values.some((v) => typeof v === 'string' && v.includes(NUL))) {
        errors.push({
          parameter: name.replaceAll(NUL, '\\u0000'),
          detail: 'must not contain the NUL character',
        });
      }
    }
    if (errors.length > 0) {
      throw new ProblemError('validation_failed', 'Text must not contain the NUL character (U+0000).', {
        errors: errors.slice(0, MAX_REPORTED),
      });
    }
    next();
  };
}

function collect(value: unknown, pointer: string, errors: ProblemFieldError[]): void {
  if (errors.length >= MAX_REPORTED) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) errors.push({ pointer, detail: 'must not contain the NUL character' });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${pointer}/${index}`, errors));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // RFC 6901 §3: '~' and '/' in a member name are escaped as ~0 and ~1.
      const token = key.replace(/~/g, '~0').replace(/\//g, '~1');
      if (key.includes(NUL))
        errors.push({ pointer: `${pointer}/${token}`, detail: 'member names must not contain NUL' });
      collect(item, `${pointer}/${token}`, errors);
    }
  }
}
