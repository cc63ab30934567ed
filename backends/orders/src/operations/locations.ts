// Builds Location header values (RFC 9110 §10.2.2) for records created below another resource: a payment is created
// at …/orders/{id}/payments but lives at …/payments/{paymentId}, under the same API base path as the request.
import type { Request } from 'express';

/** `req.path` with its trailing `/orders/{orderId}/<collection>` replaced by `/<collection>/<id>`. */
export function locationBesideOrders(req: Request, collection: 'payments' | 'refunds', id: string): string {
  const path = `${req.baseUrl}${req.path}`;
  const suffix = new RegExp(`/orders/[^/]+/${collection}/?$`);
  return path.replace(suffix, `/${collection}/${encodeURIComponent(id)}`);
}
