// Builds the Location of a created resource (RFC 9110 §10.2.2) from the request's own path, so that it carries
// whatever base path the service is mounted under (e.g. /crm/v1) without the handlers knowing it.
import type { Request } from 'express';

const COLLECTIONS = /\/(customers|contacts|leads|opportunities|activities)(\/|$)/;

/** `<base path>/<collection>/<id>`, where the base path is everything before the request's first collection. */
export function resourceLocation(req: Request, collection: string, id: string): string {
  const path = `${req.baseUrl}${req.path}`;
  const match = COLLECTIONS.exec(path);
  const base = match ? path.slice(0, match.index) : '';
  return `${base}/${collection}/${encodeURIComponent(id)}`;
}
