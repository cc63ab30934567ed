// Bad input never reaches the order store: each malformed request (unknown nested members and NUL characters
// included) gets a problem+json naming the culprit, and nothing is written or changed.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { ORDER_TOTAL, SHIPPING_ADDRESS, cny, goodsLine, orderBody, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';

describeEachStore('Orders bad input', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  const count = (table: 'orders' | 'payments' | 'refunds') => async () =>
    Number(
      (
        await svc.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test.each(['/items/0/notAField', '/shippingAddress/notAField'])(
    'createOrder refuses every kind of bad input (and an unknown %s) and writes nothing',
    async (nestedUnknown) => {
      await expectBadInputRejected(svc.client, {
        operationId: 'createOrder',
        validBody: orderBody(),
        wrongType: { pointer: '/currency', value: 156 },
        missing: '/customerId',
        nestedUnknown,
        count: count('orders'),
      });
    },
  );

  test('updateOrder refuses every kind of bad input and changes nothing', async () => {
    const order = await orderIn(svc.client, 'pending', orderBody({ notes: 'Keep me.' }));
    const params = { orderId: order.id };
    await expectBadInputRejected(svc.client, {
      operationId: 'updateOrder',
      params,
      validBody: { notes: 'Changed.', shippingAddress: SHIPPING_ADDRESS },
      wrongType: { pointer: '/notes', value: 5 },
      missing: '/shippingAddress/city',
      nestedUnknown: '/shippingAddress/notAField',
      count: count('orders'),
    });
    expect((await svc.client.call('getOrder', { params })).body).toEqual(order);
  });

  test('text with a NUL character is refused with 400 naming it on every engine, never a 500', async () => {
    const before = await count('orders')();
    const create = await svc.client.call('createOrder', { body: orderBody({ notes: 'Deliver\u0000now' }) });
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual([expect.objectContaining({ pointer: '/notes' })]);
    const name = await svc.client.call('createOrder', {
      body: orderBody({ items: [goodsLine({ name: 'Monitor\u0000' })] }),
    });
    expect(name.status).toBe(400);
    expect(name.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/items/0/name' })]),
    );
    expect(await count('orders')()).toBe(before);

    const order = await orderIn(svc.client, 'paid');
    const params = { orderId: order.id };
    for (const [operationId, body, pointer] of [
      [
        'updateOrder',
        { shippingAddress: { ...SHIPPING_ADDRESS, line1: '88\u0000' } },
        '/shippingAddress/line1',
      ],
      ['refundOrder', { reason: '\u0000' }, '/reason'],
      ['cancelOrder', { reason: 'Changed\u0000mind' }, '/reason'],
    ] as const) {
      const res = await svc.client.call(operationId, { params, body });
      expect({ operationId, status: res.status }).toEqual({ operationId, status: 400 });
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    }
    expect((await svc.client.call('getOrder', { params })).body).toEqual(order);
  });

  test('payOrder refuses every kind of bad input and writes nothing', async () => {
    const order = await orderIn(svc.client, 'pending');
    await expectBadInputRejected(svc.client, {
      operationId: 'payOrder',
      params: { orderId: order.id },
      validBody: {
        method: 'alipay',
        amount: cny(ORDER_TOTAL),
        transactionReference: '2026112422001498761234567890',
      },
      wrongType: { pointer: '/amount/amount', value: '180000' },
      missing: '/method',
      count: count('payments'),
    });
    expect((await svc.client.call('getOrder', { params: { orderId: order.id } })).body.status).toBe(
      'pending',
    );
  });

  test('refundOrder refuses every kind of bad input and writes nothing', async () => {
    const order = await orderIn(svc.client, 'paid');
    await expectBadInputRejected(svc.client, {
      operationId: 'refundOrder',
      params: { orderId: order.id },
      validBody: { amount: cny(100), reason: 'Damaged' },
      wrongType: { pointer: '/reason', value: ['Damaged'] },
      missing: '/reason',
      count: count('refunds'),
    });
  });

  test('a bad line is named by its full pointer', async () => {
    const res = await svc.client.call('createOrder', {
      body: orderBody({ items: [goodsLine(), goodsLine({ quantity: 0 })] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/items/1/quantity' })]),
    );
  });

  test('an order without lines, or with an unknown line type, is refused', async () => {
    const empty = await svc.client.call('createOrder', { body: orderBody({ items: [] }) });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ pointer: '/items' })]);
    const unknown = await svc.client.call('createOrder', {
      body: orderBody({ items: [goodsLine({ type: 'voucher' })] }),
    });
    expect(unknown.status).toBe(400);
  });

  test('an unknown payment method and a malformed order id are refused with 400', async () => {
    const order = await orderIn(svc.client, 'pending');
    const method = await svc.client.call('payOrder', {
      params: { orderId: order.id },
      body: { method: 'bitcoin', amount: cny(ORDER_TOTAL) },
    });
    expect(method.status).toBe(400);
    expect(method.body.errors).toEqual([expect.objectContaining({ pointer: '/method' })]);
    const id = await svc.client.call('getOrder', { params: { orderId: 'order-1' } });
    expect(id.status).toBe(400);
    expect(id.body.errors).toEqual([expect.objectContaining({ parameter: 'orderId' })]);
  });

  test('a request without a caller identity is refused with 401 before anything else', async () => {
    const res = await svc.client.as(undefined).call('createOrder', { body: orderBody() });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('PorticoIdentity realm="portico"');
  });
});
