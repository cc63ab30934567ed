// Request validation with express-openapi-validator, without Express: the gateway already knows the operation from
// its route table, so it hands eov's RequestValidator the matched route directly (eov's own route lookup compiles a
// path-to-regexp per route per request) and compiles every operation's validator once, at start-up.
import path from 'node:path';
import querystring from 'node:querystring';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProblemFieldError } from '../../../../internal/src/problem/problem';
import type { PublicApi } from '../../routes';

/* eslint-disable @typescript-eslint/no-require-imports -- eov's building blocks are not in its typed entry point */
const { OpenApiSpecLoader } = require('express-openapi-validator/dist/framework/openapi.spec.loader') as {
  OpenApiSpecLoader: new (options: object) => { load(): Promise<LoadedSpec> };
};
const { SchemaPreprocessor } =
  require('express-openapi-validator/dist/middlewares/parsers/schema.preprocessor') as {
    SchemaPreprocessor: new (
      apiDoc: object,
      ajvOptions: object,
      responseOptions: unknown,
    ) => { preProcess(): void };
  };
const { RequestValidator } =
  require('express-openapi-validator/dist/middlewares/openapi.request.validator') as {
    RequestValidator: new (apiDoc: object, options: object) => EovRequestValidator;
  };
const { OpenApiValidator } = require('express-openapi-validator/dist/openapi.validator') as {
  OpenApiValidator: new (options: object) => { ajvOpts: { preprocessor: object; request: object } };
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface LoadedSpec {
  apiDoc: { paths: Record<string, Record<string, unknown>> };
  routes: Array<{ basePath: string; expressRoute: string; openApiRoute: string; method: string }>;
}

interface EovRequest {
  openapi: {
    expressRoute: string;
    openApiRoute: string;
    pathParams: Record<string, string>;
    schema: unknown;
  };
  method: string;
  originalUrl: string;
  path: string;
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
  params: Record<string, string>;
  body: unknown;
}

interface EovRequestValidator {
  validate(req: EovRequest, res: unknown, next: (error?: unknown) => void): void;
}

interface EovError {
  status?: number;
  message?: string;
  errors?: Array<{ path?: string; message?: string }>;
}

/** What the gateway knows of a request once it is matched and its body parsed. */
export interface RequestToValidate {
  api: PublicApi;
  method: string;
  /** `/crm/v1/customers/cus_1?limit=5` as received. */
  url: string;
  pathname: string;
  /** The matched operation's full template, e.g. /crm/v1/customers/{customerId}. */
  template: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there is none. */
  body: unknown;
}

export type ValidationResult = { valid: true } | { valid: false; errors: ProblemFieldError[] };

export interface SpecRequestValidator {
  validate(request: RequestToValidate): ValidationResult;
}

interface CompiledOperation {
  expressRoute: string;
  openApiRoute: string;
  schema: unknown;
}

/** The backends' options (internal/src/http/spec-validator.ts): parameters coerced from strings, bodies never. */
const EOV_OPTIONS = {
  validateApiSpec: true,
  validateRequests: { allErrors: true, allowUnknownQueryParameters: false, coerceTypes: false },
  validateResponses: false,
  validateSecurity: false,
  validateFormats: true,
  $refParser: { mode: 'dereference' },
};

/**
 * Loads, dereferences and compiles the public specs. Every operation's parameter and body validators are built here
 * (eov would build them on a route's first request, 100–250 ms of ajv compilation on the response path).
 */
export async function createSpecRequestValidator(
  specsDir: string,
  apis: readonly PublicApi[],
): Promise<SpecRequestValidator> {
  const byApi = new Map<
    PublicApi,
    { validator: EovRequestValidator; operations: Map<string, CompiledOperation> }
  >();
  for (const api of apis) {
    const specPath = path.join(specsDir, api, 'openapi.yaml');
    const spec = await new OpenApiSpecLoader({
      apiDoc: specPath,
      validateApiSpec: true,
      $refParser: { mode: 'dereference' },
    }).load();
    // Eov's constructor normalises the options into its ajv settings (formats, serdes) exactly as its middleware does.
    const ajvOptions = new OpenApiValidator({ ...EOV_OPTIONS, apiSpec: specPath }).ajvOpts;
    new SchemaPreprocessor(spec.apiDoc, ajvOptions.preprocessor, false).preProcess();
    const validator = new RequestValidator(spec.apiDoc, ajvOptions.request);
    const operations = new Map<string, CompiledOperation>();
    for (const route of spec.routes) {
      const template = route.openApiRoute.slice(route.basePath.length);
      const schema = spec.apiDoc.paths[template]?.[route.method.toLowerCase()];
      operations.set(`${route.method} ${route.openApiRoute}`, {
        expressRoute: route.expressRoute,
        openApiRoute: route.openApiRoute,
        schema,
      });
    }
    byApi.set(api, { validator, operations });
    for (const [key, operation] of operations) warm(validator, key.split(' ')[0]!, operation);
  }

  return {
    validate(request) {
      const entry = byApi.get(request.api);
      const operation = entry?.operations.get(`${request.method} ${request.template}`);
      if (!entry || !operation)
        throw new Error(`no compiled validator for ${request.method} ${request.pathname}`);
      const queryStart = request.url.indexOf('?');
      const eovRequest: EovRequest = {
        openapi: { ...operation, pathParams: request.params },
        method: request.method,
        originalUrl: request.url,
        path: request.pathname,
        headers: normalisedHeaders(request.headers, request.body !== undefined),
        query: queryStart === -1 ? {} : { ...querystring.parse(request.url.slice(queryStart + 1)) },
        params: request.params,
        body: request.body,
      };
      try {
        let passed = false;
        entry.validator.validate(eovRequest, undefined, (error?: unknown) => {
          if (error) throw error;
          passed = true;
        });
        return passed ? { valid: true } : { valid: false, errors: [{ pointer: '', detail: 'is not valid' }] };
      } catch (error) {
        return { valid: false, errors: fieldErrors(error as EovError) };
      }
    },
  };
}

/**
 * Eov keys its compiled validators by method, route and content type; the gateway has already refused any type but
 * JSON (415), so every JSON body is presented as exactly `application/json` and one validator per operation serves.
 */
function normalisedHeaders(headers: IncomingHttpHeaders, hasBody: boolean): IncomingHttpHeaders {
  const copy = { ...headers };
  if (hasBody) copy['content-type'] = 'application/json';
  else delete copy['content-type'];
  return copy;
}

function warm(validator: EovRequestValidator, method: string, operation: CompiledOperation): void {
  for (const contentType of [undefined, 'application/json']) {
    try {
      validator.validate(
        {
          openapi: { ...operation, pathParams: {} },
          method,
          originalUrl: operation.openApiRoute,
          path: operation.openApiRoute,
          headers: contentType ? { 'content-type': contentType } : {},
          query: {},
          params: {},
          body: contentType ? {} : undefined,
        },
        undefined,
        () => undefined,
      );
    } catch {
      // An empty request fails most operations' validation; compiling was the point.
    }
  }
}

/** Eov's `/body/items/0/quantity`, `/query/limit`, `/headers/idempotency-key` → the problem's `errors` items. */
export function fieldErrors(error: EovError): ProblemFieldError[] {
  if (!Array.isArray(error.errors) || error.errors.length === 0) {
    return [{ pointer: '', detail: error.message ?? 'is not valid' }];
  }
  return error.errors.map((item) => {
    const detail = item.message ?? 'is not valid';
    const [, location, ...rest] = (item.path ?? '').split('/');
    const first = (rest[0] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
    switch (location) {
      case 'body':
        return { pointer: rest.length === 0 ? '' : `/${rest.join('/')}`, detail };
      case 'query':
      case 'params':
      case 'path':
        return { parameter: first, detail };
      case 'headers':
        return { header: first.toLowerCase(), detail };
      default:
        return { pointer: item.path ?? '', detail };
    }
  });
}
