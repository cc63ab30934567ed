// Builds the Express app of a spec-driven Portico service: routes come from the OpenAPI document (each operationId
// is bound to its handler), requests are validated against it, responses optionally too, and every failure is
// problem+json. Used by the three reference backends; the management API will use it as well.
import path from 'node:path';
import express, { type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import type { IdGenerator } from '../ids';
import { ProblemError } from '../problem/problem';
import { problemErrorHandler } from './error-handler';
import { requestId } from './request-id';
import { assertHandlersMatchSpec } from './spec-operations';
import './locals';

export type OperationHandler = (req: Request, res: Response) => Promise<void> | void;

export interface ServiceAppOptions {
  /** Absolute path of the service's OpenAPI document. */
  specPath: string;
  /** One handler per operationId of the document; a missing one fails at start-up. */
  handlers: Readonly<Record<string, OperationHandler>>;
  /** Establishes res.locals.identity before validation (header identity now, a verified JWT later). */
  authenticate: RequestHandler;
  logger: Logger;
  newId: IdGenerator;
  problemBaseUrl: string;
  maxBodyBytes: number;
  /** Validate every response against the spec too (on in tests; a mismatch becomes a logged 500). */
  validateResponses: boolean;
}

export function createServiceApp(options: ServiceAppOptions): express.Express {
  assertHandlersMatchSpec(options.specPath, options.handlers);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  app.use(requestId({ newId: options.newId, logger: options.logger }));
  app.use(options.authenticate);
  app.use(
    express.json({
      limit: options.maxBodyBytes,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use(
    OpenApiValidator.middleware({
      apiSpec: options.specPath,
      $refParser: { mode: 'dereference' },
      validateApiSpec: true,
      // Parameters are always coerced from strings; the body never is ("42" is not a number).
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false, coerceTypes: false },
      validateResponses: options.validateResponses ? { allErrors: true } : false,
      validateSecurity: false,
      validateFormats: true,
      ignoreUndocumented: false,
      operationHandlers: {
        basePath: path.dirname(options.specPath),
        resolver: (_basePath, route, apiDoc) => {
          const pathItem = (apiDoc.paths ?? {})[route.openApiRoute.slice(route.basePath.length) || '/'] as
            Record<string, { operationId?: string }> | undefined;
          const operationId = pathItem?.[route.method.toLowerCase()]?.operationId;
          const handler = operationId ? options.handlers[operationId] : undefined;
          if (!handler) {
            throw new Error(
              `No handler for ${route.method} ${route.openApiRoute} (operationId ${operationId})`,
            );
          }
          return handler;
        },
      },
    }),
  );
  // Paths outside the spec's base path never reach the validator; they are still answered as problems.
  app.use((req) => {
    throw new ProblemError('route_not_found', `No operation matches ${req.method} ${req.path}.`);
  });
  app.use(problemErrorHandler({ problemBaseUrl: options.problemBaseUrl }));
  return app;
}
