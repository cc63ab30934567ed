// HTTP handlers for the Activities operations of specs/crm (the customer timeline), keyed by operationId.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import * as activities from '../store/activities';
import type { CrmStoreDeps } from '../store/customers';
import { resourceLocation } from './location';

export function activityOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listActivities(req, res) {
      const query = req.query as Record<string, string | undefined>;
      const filter: activities.ActivityFilter = {
        ...(query.customerId ? { customerId: query.customerId } : {}),
        ...(query.contactId ? { contactId: query.contactId } : {}),
        ...(query.opportunityId ? { opportunityId: query.opportunityId } : {}),
        ...(query.type ? { type: query.type as activities.ActivityType } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.followUpStatus ? { followUpStatus: query.followUpStatus as 'open' | 'completed' } : {}),
      };
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
        .location(resourceLocation(req, 'activities', activity.id))
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
