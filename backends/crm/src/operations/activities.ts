// HTTP handlers for the Activities operations of specs/crm (the customer timeline), keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import { definedOnly, queryString, type Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import * as activities from '../store/activities';
import type { CrmStoreDeps } from '../store/customers';

export function activityOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listActivities(req, res) {
      const query = req.query as Query;
      const filter: activities.ActivityFilter = definedOnly({
        customerId: queryString(query, 'customerId'),
        contactId: queryString(query, 'contactId'),
        opportunityId: queryString(query, 'opportunityId'),
        type: queryString<activities.ActivityType>(query, 'type'),
        from: queryString(query, 'from'),
        to: queryString(query, 'to'),
        followUpStatus: queryString<'open' | 'completed'>(query, 'followUpStatus'),
      });
      res.json(await activities.listActivities(deps, res.locals.identity, filter, pageRequest(query, 'act')));
    },

    async createActivity(req, res) {
      const activity = await activities.createActivity(
        deps,
        res.locals.identity,
        req.body as activities.ActivityInput,
      );
      res
        .status(201)
        .location(resourceLocation(res, 'activities', activity.id))
        .json(activity);
    },

    async getActivity(req, res) {
      res.json(await activities.getActivity(deps, res.locals.identity, String(req.params.activityId)));
    },

    async updateActivity(req, res) {
      res.json(
        await activities.updateActivity(
          deps,
          res.locals.identity,
          String(req.params.activityId),
          req.body as activities.ActivityChanges,
        ),
      );
    },

    async deleteActivity(req, res) {
      await activities.deleteActivity(deps, res.locals.identity, String(req.params.activityId));
      res.status(204).end();
    },

    async completeActivity(req, res) {
      res.json(await activities.completeActivity(deps, res.locals.identity, String(req.params.activityId)));
    },
  };
}
