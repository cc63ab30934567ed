// Totals over HTTP: the server computes them from the lines and refuses any the caller tries to set; the
// currency, discount, shipping and largest-amount rules answer 422 with a pointer and store nothing.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { cny, goodsLine, orderBody, serviceLine } from './order-fixtures';
import { startOrders } from './orders-harness';
import { MAX_MONEY_AMOUNT } from './store/totals';
import type { OrdersTables } from './store/schema';

describeEachStore('Orders totals', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  const countOrders = async () =>
    Number(
      (
        await svc.database.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('computes line amounts, subtotal, discount and total from quantities and unit prices', async () => {
    const res = await svc.client.call('createOrder', {
      body: orderBody({
        items: [
          goodsLine({ quantity: 3, unitPrice: cny(25900) }),
          goodsLine({ sku: 'SINOCARE-GA3', quantity: 10, unitPrice: cny(6800) }),
          serviceLine({ quantity: 2, unitPrice: cny(98000) }),
        ],
        discount: cny(10000),
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.items.map((i: { amount: { amount: number } }) => i.amount.amount)).toEqual([
      77700, 68000, 196000,
    ]);
    expect(res.body.totals).toEqual({
      subtotal: cny(341700),
      discount: cny(10000),
      total: cny(331700),
      amountPaid: cny(0),
      amountRefunded: cny(0),
    });
  });

  test('totals and line amounts sent by the caller are refused, not trusted', async () => {
    const before = await countOrders();
    const withTotals = await svc.client.call('createOrder', {
      body: { ...orderBody(), totals: { total: cny(1) } },
    });
    expect(withTotals.status).toBe(400);
    expect(withTotals.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/totals' })]),
    );
    const withLineAmount = await svc.client.call('createOrder', {
      body: orderBody({ items: [{ ...serviceLine(), amount: cny(1) }], shippingAddress: undefined }),
    });
    expect(withLineAmount.status).toBe(400);
    expect(await countOrders()).toBe(before);
  });

  test('a line in another currency is refused with 422 naming it, and nothing is stored', async () => {
    const before = await countOrders();
    const res = await svc.client.call('createOrder', {
      body: orderBody({ items: [goodsLine(), serviceLine({ unitPrice: { amount: 100, currency: 'USD' } })] }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/items/1/unitPrice/currency' })]);
    expect(await countOrders()).toBe(before);
  });

  test('a discount above the subtotal is refused with 422', async () => {
    const res = await svc.client.call('createOrder', {
      body: orderBody({ items: [serviceLine()], discount: cny(128001), shippingAddress: undefined }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/discount/amount' })]);
  });

  test('goods need a shipping address (422); a service-only order needs none', async () => {
    const goods = await svc.client.call('createOrder', { body: orderBody({ shippingAddress: undefined }) });
    expect(goods.status).toBe(422);
    expect(goods.body.errors).toEqual([expect.objectContaining({ pointer: '/shippingAddress' })]);
    const services = await svc.client.call('createOrder', {
      body: orderBody({ items: [serviceLine()], discount: undefined, shippingAddress: undefined }),
    });
    expect(services.status).toBe(201);
    expect(services.body).toMatchObject({ requiresShipping: false, totals: { total: cny(128000) } });
    expect(services.body.shippingAddress).toBeUndefined();
  });

  test('a free order (discount = subtotal) is paid with a zero amount', async () => {
    const order = await svc.client.call('createOrder', {
      body: orderBody({ items: [serviceLine()], discount: cny(128000), shippingAddress: undefined }),
    });
    expect(order.body.totals.total).toEqual(cny(0));
    const paid = await svc.client.call('payOrder', {
      params: { orderId: order.body.id },
      body: { method: 'cash', amount: cny(0) },
    });
    expect(paid.status).toBe(201);
  });

  test('a line or a subtotal beyond the largest amount (900719925474099) is refused with 422, nothing stored', async () => {
    const before = await countOrders();
    // 10,000 × 90,071,992,547,410 = 900,719,925,474,100,000: far past 2^53, so the check must be exact.
    const line = await svc.client.call('createOrder', {
      body: orderBody({
        items: [serviceLine(), serviceLine({ quantity: 10000, unitPrice: cny(90071992547410) })],
        discount: undefined,
        shippingAddress: undefined,
      }),
    });
    expect(line.status).toBe(422);
    expect(line.body.errors).toEqual([expect.objectContaining({ pointer: '/items/1/quantity' })]);
    // Each line fits; together they are one minor unit over.
    const sum = await svc.client.call('createOrder', {
      body: orderBody({
        items: [serviceLine({ unitPrice: cny(MAX_MONEY_AMOUNT) }), serviceLine({ unitPrice: cny(1) })],
        discount: undefined,
        shippingAddress: undefined,
      }),
    });
    expect(sum.status).toBe(422);
    expect(sum.body.errors).toEqual([expect.objectContaining({ pointer: '/items' })]);
    expect(await countOrders()).toBe(before);
    // Exactly the largest amount is still an order.
    const atLimit = await svc.client.call('createOrder', {
      body: orderBody({
        items: [serviceLine({ unitPrice: cny(MAX_MONEY_AMOUNT) })],
        discount: undefined,
        shippingAddress: undefined,
      }),
    });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.totals.total).toEqual(cny(MAX_MONEY_AMOUNT));
  });

  test('zero, negative and fractional quantities and negative or fractional prices are refused with 400', async () => {
    const before = await countOrders();
    for (const [line, pointer] of [
      [goodsLine({ quantity: 0 }), '/items/0/quantity'],
      [goodsLine({ quantity: -1 }), '/items/0/quantity'],
      [goodsLine({ quantity: 1.5 }), '/items/0/quantity'],
      [goodsLine({ quantity: 10001 }), '/items/0/quantity'],
      [goodsLine({ unitPrice: cny(-1) }), '/items/0/unitPrice/amount'],
      [goodsLine({ unitPrice: cny(0.5) }), '/items/0/unitPrice/amount'],
    ] as const) {
      const res = await svc.client.call('createOrder', {
        body: orderBody({ items: [line], discount: undefined }),
      });
      expect({ line, status: res.status }).toEqual({ line, status: 400 });
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    }
    const discount = await svc.client.call('createOrder', { body: orderBody({ discount: cny(-1) }) });
    expect(discount.status).toBe(400);
    expect(discount.body.errors).toEqual([expect.objectContaining({ pointer: '/discount/amount' })]);
    expect(await countOrders()).toBe(before);
  });

  test('a zero unit price is a free line (a sample), not an error', async () => {
    const res = await svc.client.call('createOrder', {
      body: orderBody({
        items: [goodsLine(), goodsLine({ sku: 'SAMPLE-1', unitPrice: cny(0) })],
        discount: undefined,
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.items[1].amount).toEqual(cny(0));
    expect(res.body.totals.total).toEqual(cny(59800));
  });
});
