// The Location of a created resource (RFC 9110 §10.2.2): the service's base path, the collection and the id, so
// handlers never spell out /crm/v1 themselves.
import type { Response } from 'express';
import './locals';

export function resourceLocation(res: Response, collection: string, id: string): string {
  return `${res.locals.basePath}/${collection}/${encodeURIComponent(id)}`;
}
