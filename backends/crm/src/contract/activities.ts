// Contract scenarios for activities (the customer timeline): CRUD and completion, the timeline filters including
// unencoded date-time bounds, times that cannot be stored (400), and the references in the body (422).
import type { ContractResponse } from '../../../../internal/src/testing/contract-client';
import { ids, newActivity, newContact, newCustomer, newOpportunity } from '../testing/fixtures';
import { allPages, type CrmContract } from './context';

export function activityScenarios(ctx: CrmContract): void {
  describe('activities', () => {
    test('records, reads, updates, completes and deletes activities', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      const contact = await newContact(client, customer.id);
      const opportunity = await newOpportunity(client, customer.id);
      const visit = await client.call('createActivity', {
        body: {
          customerId: customer.id,
          contactId: contact.id,
          opportunityId: opportunity.id,
          type: 'visit',
          subject: 'On-site demo',
          content: 'Met the director.',
          occurredAt: '2026-11-24T17:30:00+08:00',
        },
      });
      expect(visit.status).toBe(201);
      // Times are normalised to UTC with milliseconds.
      expect(visit.body).toMatchObject({ type: 'visit', occurredAt: '2026-11-24T09:30:00.000Z' });
      expect(visit.headers.get('location')).toBe(`/crm/v1/activities/${visit.body.id}`);
      expect((await client.call('getActivity', { params: { activityId: visit.body.id } })).body).toEqual(
        visit.body,
      );

      const edited = await client.call('updateActivity', {
        params: { activityId: visit.body.id },
        body: { content: null, subject: 'On-site demo (2 nurses)', opportunityId: null },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.subject).toBe('On-site demo (2 nurses)');
      expect(edited.body.content).toBeUndefined();
      expect(edited.body.opportunityId).toBeUndefined();

      const followUp = await newActivity(client, customer.id, {
        type: 'follow_up',
        subject: 'Send the proposal',
        dueAt: '2026-11-28T02:00:00.000Z',
      });
      expect(followUp.dueAt).toBe('2026-11-28T02:00:00.000Z');
      expect(followUp.occurredAt).toBeUndefined();
      const moved = await client.call('updateActivity', {
        params: { activityId: followUp.id },
        body: { dueAt: '2026-11-29T02:00:00.000Z' },
      });
      expect(moved.body.dueAt).toBe('2026-11-29T02:00:00.000Z');
      const done = await client.call('completeActivity', { params: { activityId: followUp.id } });
      expect(done.status).toBe(200);
      expect(done.body.completedAt).toEqual(expect.any(String));

      expect((await client.call('deleteActivity', { params: { activityId: visit.body.id } })).status).toBe(
        204,
      );
      expect((await client.call('getActivity', { params: { activityId: visit.body.id } })).status).toBe(404);
      expect((await client.call('deleteActivity', { params: { activityId: visit.body.id } })).status).toBe(
        404,
      );
    });

    test('a customer timeline filters by customer, type, contact, opportunity, date range and follow-up status', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      const other = await newCustomer(client, { name: 'Kangning Pharmacy' });
      const contact = await newContact(client, customer.id);
      const opportunity = await newOpportunity(client, customer.id);
      const call = await newActivity(client, customer.id, {
        type: 'call',
        occurredAt: '2026-11-01T10:00:00.000Z',
      });
      const wechat = await newActivity(client, customer.id, {
        type: 'wechat_message',
        contactId: contact.id,
        occurredAt: '2026-11-10T10:00:00.000Z',
      });
      const email = await newActivity(client, customer.id, {
        type: 'email',
        opportunityId: opportunity.id,
        occurredAt: '2026-11-20T10:00:00.000Z',
      });
      const open = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-15T10:00:00.000Z',
      });
      const closed = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-05T10:00:00.000Z',
      });
      await client.call('completeActivity', { params: { activityId: closed.id } });
      const elsewhere = await newActivity(client, other.id, {
        type: 'note',
        occurredAt: '2026-11-10T10:00:00.000Z',
      });

      const list = (query: Record<string, string>) => client.call('listActivities', { query });
      expect(ids(await list({ customerId: customer.id }))).toEqual([
        closed.id,
        open.id,
        email.id,
        wechat.id,
        call.id,
      ]);
      expect(ids(await list({ customerId: other.id }))).toEqual([elsewhere.id]);
      expect(ids(await list({ customerId: customer.id, type: 'wechat_message' }))).toEqual([wechat.id]);
      expect(ids(await list({ contactId: contact.id }))).toEqual([wechat.id]);
      expect(ids(await list({ opportunityId: opportunity.id }))).toEqual([email.id]);
      // `from` is inclusive, `to` exclusive; follow-ups count at their due time.
      expect(
        ids(
          await list({
            customerId: customer.id,
            from: '2026-11-05T10:00:00.000Z',
            to: '2026-11-20T10:00:00.000Z',
          }),
        ),
      ).toEqual([closed.id, open.id, wechat.id]);
      expect(ids(await list({ from: '2026-11-10T18:00:00+08:00' }))).toEqual([
        elsewhere.id,
        open.id,
        email.id,
        wechat.id,
      ]);
      expect(ids(await list({ followUpStatus: 'open' }))).toEqual([open.id]);
      expect(ids(await list({ followUpStatus: 'completed' }))).toEqual([closed.id]);
      expect(await allPages(client, 'listActivities', { query: { customerId: customer.id } })).toEqual([
        closed.id,
        open.id,
        email.id,
        wechat.id,
        call.id,
      ]);
    });

    test('activity times must fit the type (422)', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      const noDue = await client.call('createActivity', {
        body: { customerId: customer.id, type: 'follow_up', subject: 'Call back' },
      });
      expect(noDue.status).toBe(422);
      expect(noDue.body.errors).toEqual([expect.objectContaining({ pointer: '/dueAt' })]);
      const dueOnCall = await client.call('createActivity', {
        body: { customerId: customer.id, type: 'call', subject: 'Call', dueAt: '2026-11-28T02:00:00.000Z' },
      });
      expect(dueOnCall.status).toBe(422);
      expect(ids(await client.call('listActivities'))).toEqual([]);
    });

    test('the customer, contact and opportunity in the body must exist and belong together (422 naming the member)', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      const other = await newCustomer(client, { name: 'Other' });
      const strangerContact = await newContact(client, other.id);
      const strangerOpp = await newOpportunity(client, other.id);
      const note = { customerId: customer.id, type: 'note', subject: 'Note' };
      const refusals: Array<[Record<string, string>, string]> = [
        [{ customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB' }, '/customerId'],
        [{ contactId: 'con_01JDQ8A2B3C4D5E6F7G8H9J0KM' }, '/contactId'],
        [{ contactId: strangerContact.id }, '/contactId'],
        [{ opportunityId: 'opp_01JDQ9B2C3D4E5F6G7H8J9K0MN' }, '/opportunityId'],
        [{ opportunityId: strangerOpp.id }, '/opportunityId'],
      ];
      for (const [members, pointer] of refusals) {
        const res = await client.call('createActivity', { body: { ...note, ...members } });
        expect({ members, status: res.status, code: res.body.code }).toEqual({
          members,
          status: 422,
          code: 'unprocessable',
        });
        expect(res.body.errors).toEqual([expect.objectContaining({ pointer })]);
      }
      expect(ids(await client.call('listActivities', { query: { customerId: customer.id } }))).toEqual([]);

      const activity = await newActivity(client, customer.id);
      for (const [members, pointer] of refusals.slice(1)) {
        const res = await client.call('updateActivity', {
          params: { activityId: activity.id },
          body: { ...members, subject: 'Changed' },
        });
        expect({ members, status: res.status }).toEqual({ members, status: 422 });
        expect(res.body.errors).toEqual([expect.objectContaining({ pointer })]);
      }
      expect((await client.call('getActivity', { params: { activityId: activity.id } })).body).toEqual(
        activity,
      );
    });

    test('a time the store cannot keep (a leap second, a year past 9999 in UTC) is a 400 naming the member', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      // Both are valid RFC 3339 date-times, so they pass the schema and must be refused by the store.
      const leapSecond = '2026-12-31T23:59:60Z';
      const pastYear9999 = '9999-12-31T23:00:00-05:00';
      const expect400 = (res: ContractResponse, where: Record<string, string>) => {
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 400,
          code: 'validation_failed',
        });
        expect(res.body.errors).toEqual([expect.objectContaining(where)]);
      };
      expect400(
        await client.call('createActivity', {
          body: { customerId: customer.id, type: 'visit', subject: 'Visit', occurredAt: leapSecond },
        }),
        { pointer: '/occurredAt' },
      );
      expect400(
        await client.call('createActivity', {
          body: { customerId: customer.id, type: 'follow_up', subject: 'Call back', dueAt: pastYear9999 },
        }),
        { pointer: '/dueAt' },
      );
      expect(ids(await client.call('listActivities'))).toEqual([]);

      const visit = await newActivity(client, customer.id, { type: 'visit' });
      const followUp = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-28T02:00:00.000Z',
      });
      expect400(
        await client.call('updateActivity', {
          params: { activityId: visit.id },
          body: { occurredAt: pastYear9999 },
        }),
        { pointer: '/occurredAt' },
      );
      expect400(
        await client.call('updateActivity', {
          params: { activityId: followUp.id },
          body: { dueAt: leapSecond },
        }),
        { pointer: '/dueAt' },
      );
      expect((await client.call('getActivity', { params: { activityId: visit.id } })).body).toEqual(visit);
      expect((await client.call('getActivity', { params: { activityId: followUp.id } })).body).toEqual(
        followUp,
      );

      expect400(await client.call('listActivities', { query: { from: leapSecond } }), {
        parameter: 'from',
      });
      expect400(await client.call('listActivities', { query: { to: pastYear9999 } }), { parameter: 'to' });
    });

    test('date-time bounds work unencoded in the query string (allowReserved)', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      await newActivity(client, customer.id, { occurredAt: '2026-11-24T09:00:00.000Z' });
      const later = await newActivity(client, customer.id, { occurredAt: '2026-11-24T09:30:00.000Z' });
      // The colons stay as typed: a partner's `?from=2026-11-24T09:30:00Z` must not need percent-encoding.
      const res = await client.request(
        'GET',
        '/activities?from=2026-11-24T09:30:00Z&to=2026-11-24T10:00:00Z',
      );
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([later.id]);
    });
  });
}
