// Builds the express-openapi-validator middleware for one spec. It matches each request to its operation
// (req.openapi), answers unknown paths (404) and methods (405), and validates requests — and, when asked, responses.
// It holds no handlers, so one instance can serve several apps of the same spec (tests build many apps per process
// and would otherwise recompile every route's schemas for each).
import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';

export type SpecValidator = RequestHandler[];

export function createSpecValidator(options: {
  specPath: string;
  validateResponses: boolean;
}): SpecValidator {
  return OpenApiValidator.middleware({
    apiSpec: options.specPath,
    $refParser: { mode: 'dereference' },
    validateApiSpec: true,
    // Parameters are always coerced from strings; the body never is ("42" is not a number).
    validateRequests: { allErrors: true, allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: options.validateResponses ? { allErrors: true } : false,
    validateSecurity: false,
    validateFormats: true,
    ignoreUndocumented: false,
  });
}

/** What express-openapi-validator attaches to a request it matched to an operation. */
export interface MatchedOperation {
  schema?: { operationId?: string };
  pathParams?: Record<string, string>;
}
