// Gives every request an id: the caller's (the gateway's) X-Request-Id when it is well-formed, a new `req_…`
// otherwise. It is echoed in the response header and in every problem document, and carried by the log line.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { IdGenerator } from '../ids';
import './locals';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9_.:-]{8,128}$/;

export function requestId(options: { newId: IdGenerator; logger: Logger }): RequestHandler {
  return function requestIdMiddleware(req, res, next) {
    const incoming = req.get('x-request-id');
    const id = incoming && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : options.newId('req');
    res.locals.requestId = id;
    res.locals.log = options.logger.child({ requestId: id });
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // One wide access line per request; never the body, never credentials.
      res.locals.log.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          partnerId: res.locals.identity?.partnerId,
          environment: res.locals.identity?.environment,
        },
        'request',
      );
    });
    next();
  };
}
