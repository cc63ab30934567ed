// Every problem Portico can emit, in one place (as Fastify's lib/errors.js): a stable `code`, its HTTP
// status and a human title. The `type` URL of a problem document is the docs base URL + the code.
export const problemCatalog = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The pagination cursor is not valid' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  insufficient_scope: { status: 403, title: 'The credential lacks a required scope' },
  forbidden: { status: 403, title: 'Your role does not allow this action' },
  csrf_failed: { status: 403, title: 'The CSRF token is missing or does not match' },
  not_found: { status: 404, title: 'The resource does not exist' },
  route_not_found: { status: 404, title: 'No operation matches this path' },
  method_not_allowed: { status: 405, title: 'The method is not allowed on this path' },
  not_acceptable: { status: 406, title: 'No acceptable representation' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  already_exists: { status: 409, title: 'A resource with the same unique value exists' },
  invalid_transition: { status: 409, title: 'The state transition is not allowed' },
  insufficient_balance: { status: 409, title: 'Not enough units remain' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request content type is not supported' },
  headers_too_large: { status: 431, title: 'The request header fields are too large' },
  unprocessable: { status: 422, title: 'The request cannot be processed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'An unexpected error occurred' },
  bad_gateway: { status: 502, title: 'The upstream service could not be reached' },
  service_unavailable: { status: 503, title: 'The service is temporarily unavailable' },
  gateway_timeout: { status: 504, title: 'The upstream service did not answer in time' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalog;
