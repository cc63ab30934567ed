// Builds the Express app of a spec-driven Portico service: routes come from the OpenAPI document (each operationId
// is dispatched to the handler of the same name), requests are validated against it, responses optionally too, and
// every failure is problem+json. Used by the three reference backends; the management API will use it as well.
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { IdGenerator } from '../ids';
import { ProblemError } from '../problem/problem';
import { problemErrorHandler } from './error-handler';
import { requestId } from './request-id';
import { refuseNulCharacters } from './refuse-nul';
import { requireJsonBody } from './require-json-body';
import { assertHandlersMatchSpec, serverBasePath } from './spec-operations';
import { createSpecValidator, type MatchedOperation, type SpecValidator } from './spec-validator';
import './locals';

export type OperationHandler = (req: Request, res: Response) => Promise<void> | void;

export interface ServiceAppOptions {
  /** Absolute path of the service's OpenAPI document. */
  specPath: string;
  /** One handler per operationId of the document; a missing or extra one fails at start-up. */
  handlers: Readonly<Record<string, OperationHandler>>;
  /** Establishes res.locals.identity before validation: identityAssertion (the gateway's signed JWT) in backends. */
  authenticate: RequestHandler;
  logger: Logger;
  newId: IdGenerator;
  problemBaseUrl: string;
  maxBodyBytes: number;
  /** Validate every response against the spec too (on in tests; a mismatch becomes a logged 500). */
  validateResponses: boolean;
  /** A validator built earlier for the same spec and response-validation setting, to share its compiled schemas. */
  specValidator?: SpecValidator | undefined;
}

export function createServiceApp(options: ServiceAppOptions): express.Express {
  assertHandlersMatchSpec(options.specPath, options.handlers);
  const basePath = serverBasePath(options.specPath);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  app.use(requestId({ newId: options.newId, logger: options.logger }));
  app.use(options.authenticate);
  app.use(requireJsonBody());
  app.use(
    express.json({
      limit: options.maxBodyBytes,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use(refuseNulCharacters());
  app.use(
    options.specValidator ??
      createSpecValidator({ specPath: options.specPath, validateResponses: options.validateResponses }),
  );
  app.use(function dispatchOperation(req, res, next) {
    const matched = (req as Request & { openapi?: MatchedOperation }).openapi;
    const operationId = matched?.schema?.operationId;
    const handler = operationId ? options.handlers[operationId] : undefined;
    if (!handler) return next();
    // Express resets req.params for every middleware layer; the validator matched (and checked) the path parameters.
    req.params = matched?.pathParams ?? {};
    res.locals.basePath = basePath;
    // Express 5 leaves req.body undefined when no body was sent; an optional body then reads as empty.
    req.body ??= {};
    return handler(req, res);
  });
  // Paths outside the spec's base path never reach the validator; they are still answered as problems.
  app.use((req) => {
    throw new ProblemError('route_not_found', `No operation matches ${req.method} ${req.path}.`);
  });
  app.use(problemErrorHandler({ problemBaseUrl: options.problemBaseUrl }));
  return app;
}
