// Listing: filters by customer, status and creation time (alone and combined, unencoded date-times too), newest
// first, and cursor pagination that visits every match exactly once — for orders and for an order's refunds.
import { manualClock } from '../../../internal/src/clock';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { newTestIdentity } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { cny, orderBody, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import type { Order } from './store/order-model';
import type { OrdersTables } from './store/schema';

const ALICE = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0AA1';
const BOB = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0BB2';

describeEachStore('Orders lists', (store) => {
  const clock = manualClock('2026-03-01T08:00:00.000Z');
  let svc: TestService<OrdersTables>;
  // Created on 1, 2, 3 and 4 March at 08:00 UTC: Alice pending, Alice paid, Bob pending, Bob cancelled.
  const orders: Order[] = [];
  beforeAll(async () => {
    svc = await startOrders(store, { clock, identity: newTestIdentity() });
    const plan = [
      [ALICE, 'pending'],
      [ALICE, 'paid'],
      [BOB, 'pending'],
      [BOB, 'cancelled'],
    ] as const;
    for (const [day, [customerId, status]] of plan.entries()) {
      clock.set(`2026-03-0${day + 1}T08:00:00.000Z`);
      orders.push(await orderIn(svc.client, status, orderBody({ customerId })));
    }
  });
  afterAll(() => svc.close());

  const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((o) => o.id);
  const list = (query: Record<string, string | number>) => svc.client.call('listOrders', { query });
  const id = (i: number) => () => orders[i]!.id;
  const [a1, a2, b3, b4] = [id(0), id(1), id(2), id(3)];

  test('lists every order of the tenant newest first', async () => {
    expect(ids(await list({}))).toEqual([b4(), b3(), a2(), a1()]);
  });

  test('filters by customer', async () => {
    expect(ids(await list({ customerId: ALICE }))).toEqual([a2(), a1()]);
    expect(ids(await list({ customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0CC3' }))).toEqual([]);
  });

  test('filters by status', async () => {
    expect(ids(await list({ status: 'pending' }))).toEqual([b3(), a1()]);
    expect(ids(await list({ status: 'cancelled' }))).toEqual([b4()]);
    expect(ids(await list({ status: 'refunded' }))).toEqual([]);
  });

  test('filters by creation time: from is inclusive, to is exclusive, offsets are honoured', async () => {
    expect(ids(await list({ createdFrom: '2026-03-02T08:00:00.000Z' }))).toEqual([b4(), b3(), a2()]);
    expect(ids(await list({ createdTo: '2026-03-02T08:00:00.000Z' }))).toEqual([a1()]);
    expect(
      ids(await list({ createdFrom: '2026-03-02T00:00:00.000Z', createdTo: '2026-03-04T00:00:00.000Z' })),
    ).toEqual([b3(), a2()]);
    // 16:00 in Shanghai (+08:00) is 08:00 UTC.
    expect(ids(await list({ createdFrom: '2026-03-04T16:00:00+08:00' }))).toEqual([b4()]);
  });

  test('accepts date-times with unencoded colons (allowReserved), with the same result as encoded ones', async () => {
    const raw = await svc.client.request(
      'GET',
      '/orders?createdFrom=2026-03-02T08:00:00Z&createdTo=2026-03-04T00:00:00.000Z',
    );
    expect(raw.status).toBe(200);
    expect(ids(raw)).toEqual([b3(), a2()]);
    expect(
      ids(await list({ createdFrom: '2026-03-02T08:00:00Z', createdTo: '2026-03-04T00:00:00.000Z' })),
    ).toEqual(ids(raw));
  });

  test('refuses a leap second and an instant past year 9999 with 400 naming the parameter, never a 500', async () => {
    for (const [name, value] of [
      ['createdFrom', '2016-12-31T23:59:60Z'],
      // Valid RFC 3339, but 10000-01-01T00:59:59Z in UTC: it would compare wrongly as stored text.
      ['createdTo', '9999-12-31T23:59:59-01:00'],
    ] as const) {
      const res = await list({ [name]: value });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ parameter: name })]);
    }
  });

  test('combines filters', async () => {
    expect(
      ids(await list({ customerId: BOB, status: 'pending', createdFrom: '2026-03-03T00:00:00Z' })),
    ).toEqual([b3()]);
  });

  test('pages through a filtered list with an opaque cursor, each match exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({
        createdFrom: '2026-03-01T00:00:00Z',
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.status).toBe(200);
      seen.push(...ids(page));
      cursor = page.body.nextCursor ?? undefined;
      expect(page.body.hasMore).toBe(cursor !== undefined);
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([b4(), b3(), a2(), a1()]);
  });

  test('refuses a foreign cursor, an unknown status and a malformed date with 400 naming the parameter', async () => {
    const cursor = await list({ cursor: 'bm90LWEtY3Vyc29y' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('invalid_cursor');
    // A cursor of another list (here: an order's refunds) is not a cursor of this one.
    const refundsCursor = Buffer.from('v1:rfd_01JDR4C6D8T1V9KX2M5Q8W0ZEB').toString('base64url');
    const foreign = await list({ cursor: refundsCursor });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('invalid_cursor');
    for (const [name, value] of [
      ['status', 'shipped'],
      ['createdFrom', 'yesterday'],
      ['customerId', 'not-an-id'],
      ['limit', 0],
    ] as const) {
      const res = await list({ [name]: value });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ parameter: name })]);
    }
  });

  test("pages through an order's refunds newest first", async () => {
    const order = await orderIn(svc.client, 'paid');
    const params = { orderId: order.id };
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      created.push(
        (await svc.client.call('refundOrder', { params, body: { amount: cny(1000), reason: `r${i}` } })).body
          .id,
      );
    }
    const first = await svc.client.call('listOrderRefunds', { params, query: { limit: 2 } });
    expect(ids(first)).toEqual([created[2], created[1]]);
    expect(first.body.hasMore).toBe(true);
    const second = await svc.client.call('listOrderRefunds', {
      params,
      query: { limit: 2, cursor: first.body.nextCursor },
    });
    expect(ids(second)).toEqual([created[0]]);
    expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });
    const payments = await svc.client.call('listOrderPayments', { params, query: { limit: 1 } });
    expect(payments.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(payments.body.data).toHaveLength(1);
  });
});
