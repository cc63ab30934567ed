// HTTP handlers for the Grants operations of specs/entitlements (grants, their transitions and their history).
import type { Request } from 'express';
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { EntitlementsStoreDeps } from '../store/deps';
import type { GrantEventType } from '../store/grant-events';
import * as grants from '../store/grants';
import { definedOnly, queryString, type Query, queryTimestamp } from '../../../../internal/src/http/query';

/** The optional `reason` of a transition body (the body itself is optional). */
function reasonOf(req: Request): string | undefined {
  const body = req.body as { reason?: unknown } | undefined;
  return typeof body?.reason === 'string' ? body.reason : undefined;
}

export function grantOperations(deps: EntitlementsStoreDeps): Record<string, OperationHandler> {
  const transition =
    (action: grants.GrantAction): OperationHandler =>
    async (req, res) => {
      res.json(
        await grants.transitionGrant(
          deps,
          res.locals.identity,
          String(req.params.grantId),
          action,
          reasonOf(req),
        ),
      );
    };

  return {
    async listGrants(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        customerId: queryString(query, 'customerId'),
        packageId: queryString(query, 'packageId'),
        orderId: queryString(query, 'orderId'),
        status: queryString<grants.GrantStatus>(query, 'status'),
        expiresBefore: queryTimestamp(query, 'expiresBefore'),
      });
      res.json(await grants.listGrants(deps, res.locals.identity, filter, pageRequest(query, 'grt')));
    },

    async createGrant(req, res) {
      const grant = await grants.createGrant(deps, res.locals.identity, req.body as grants.GrantInput);
      res
        .status(201)
        .location(resourceLocation(res, 'grants', grant.id))
        .json(grant);
    },

    async getGrant(req, res) {
      res.json(await grants.getGrant(deps, res.locals.identity, String(req.params.grantId)));
    },

    suspendGrant: transition('suspend'),
    resumeGrant: transition('resume'),
    revokeGrant: transition('revoke'),

    async listGrantEvents(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({ type: queryString<GrantEventType>(query, 'type') });
      res.json(
        await grants.listEventsOfGrant(
          deps,
          res.locals.identity,
          String(req.params.grantId),
          filter,
          pageRequest(query, 'gev'),
        ),
      );
    },
  };
}
