// The acceptance point: a retried POST with an Idempotency-Key creates exactly one order. A proxy between the SDK
// and the gateway lets the first createOrder reach the gateway, waits for the gateway's whole answer, then cuts the
// client's connection; the SDK retries with the same key and gets the first answer replayed. Without retries the
// caller gets a ConnectionError although the order exists — which is why the key matters. A signed retry is signed
// afresh (new nonce) and still replayed.
import { randomUUID } from 'node:crypto';
import { ConnectionError, unwrap, type Portico } from '@portico/sdk';
import { startDroppingProxy, type DroppingProxy, type Exchange } from './testing/dropping-proxy';
import { onboardPartner, porticoWith, type OnboardedPartner } from './testing/onboard-partner';
import { sendRawRequest } from './testing/raw-http';
import { describeEachVariant, startPlatform, type RunningPlatform } from './testing/running-platform';

const ORDERS = '/orders/v1/orders';
const isCreateOrder = (request: { method: string; target: string }) =>
  request.method === 'POST' && request.target === ORDERS;

describeEachVariant('a retried POST with an Idempotency-Key after a lost answer', (variant) => {
  let running: RunningPlatform;
  let partner: OnboardedPartner;
  let proxy: DroppingProxy;

  beforeAll(async () => {
    running = await startPlatform(variant);
    partner = await onboardPartner(running.portalUrl, 'Retry Pharmacy');
    proxy = await startDroppingProxy(running.gatewayUrl);
  });
  afterAll(async () => {
    await proxy?.close();
    await running?.stop();
  });

  /** A new customer and an order body for it (goods, so that no catalogue is needed). */
  async function newOrderFor(portico: Portico) {
    const customer = await unwrap(portico.crm.createCustomer({ body: { kind: 'person', name: 'Zhao Lei' } }));
    const body = {
      customerId: customer.id,
      currency: 'CNY',
      items: [
        {
          type: 'goods' as const,
          sku: 'BPM-ARM-100',
          name: 'Upper-arm blood pressure monitor',
          quantity: 1,
          unitPrice: { amount: 29_900, currency: 'CNY' },
        },
      ],
      shippingAddress: {
        recipient: 'Zhao Lei',
        phone: '+86 138 0000 0000',
        line1: '1 Renmin Road',
        city: 'Hangzhou',
        province: 'Zhejiang',
        country: 'CN',
      },
    };
    return { customerId: customer.id, body };
  }

  async function ordersOf(portico: Portico, customerId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const order of portico.orders.paginate('listOrders', { params: { query: { customerId } } })) {
      ids.push(order.id);
    }
    return ids;
  }

  /** What the proxy saw of the createOrder requests made since `from`, in order. */
  const createOrderAttempts = (from: number): Exchange[] => proxy.exchanges.slice(from).filter(isCreateOrder);
  const idOfAnswer = (exchange: Exchange) =>
    (JSON.parse(exchange.response!.body.toString('utf8')) as { id: string }).id;

  /**
   * The first attempt was dropped after the gateway answered 201; the last was relayed as the replay of that
   * answer. In between, at most a 409 "still in flight" (Retry-After) if a retry outran the storing of the first
   * answer, which the SDK waits out.
   */
  function expectDroppedThenReplayed(attempts: Exchange[]): void {
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    const first = attempts[0]!;
    const last = attempts.at(-1)!;
    expect({ dropped: first.dropped, status: first.response?.status }).toEqual({
      dropped: true,
      status: 201,
    });
    expect({
      dropped: last.dropped,
      status: last.response?.status,
      replayed: last.response?.headers['idempotent-replayed'],
    }).toEqual({ dropped: false, status: 201, replayed: 'true' });
    for (const between of attempts.slice(1, -1)) {
      expect(between.response?.status).toBe(409);
      expect(between.response?.headers['retry-after']).toBeDefined();
    }
    const keys = attempts.map((attempt) => attempt.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^\S{16,}$/);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    // The bodies are the same bytes: otherwise the gateway answers 422, not a replay.
    expect(
      new Set(attempts.map((a) => a.requestBytes!.subarray(a.requestBytes!.indexOf('\r\n\r\n')).toString()))
        .size,
    ).toBe(1);
  }

  test('the SDK retries with the same key and gets the first answer replayed: one order exists', async () => {
    const portico = porticoWith(partner, 'apiKey', { baseUrl: proxy.url });
    const { customerId, body } = await newOrderFor(portico);
    const from = proxy.exchanges.length;
    proxy.dropNextAnswer(isCreateOrder);

    const result = await portico.orders.createOrder({ body });

    expect(result.error).toBeUndefined();
    expect(result.response?.status).toBe(201);
    expect(result.response?.headers.get('idempotent-replayed')).toBe('true');
    const attempts = createOrderAttempts(from);
    expectDroppedThenReplayed(attempts);
    // The replay is the answer the gateway gave the first time, the one the client never received.
    expect(result.data!.id).toBe(idOfAnswer(attempts[0]!));
    expect(await ordersOf(portico, customerId)).toEqual([result.data!.id]);
  });

  test('with retry: false the lost answer is a ConnectionError, yet the order exists; the same key replays it', async () => {
    const portico = porticoWith(partner, 'apiKey', { baseUrl: proxy.url });
    const { customerId, body } = await newOrderFor(portico);
    const idempotencyKey = randomUUID();
    const from = proxy.exchanges.length;
    proxy.dropNextAnswer(isCreateOrder);

    const lost = await portico.orders.createOrder({ body, idempotencyKey, retry: false });

    expect(lost.error).toBeInstanceOf(ConnectionError);
    expect(lost.error).toMatchObject({ kind: 'connection', attempts: 1 });
    expect(lost.response).toBeUndefined();
    const [attempt, ...more] = createOrderAttempts(from);
    expect(more).toHaveLength(0);
    expect(attempt).toMatchObject({ dropped: true, response: { status: 201 } });
    // The gateway acted although the caller heard nothing.
    const created = idOfAnswer(attempt!);
    expect(await ordersOf(portico, customerId)).toEqual([created]);

    // Retrying by hand with the same key is safe: the first answer comes back, no second order is made.
    const retried = await portico.orders.createOrder({ body, idempotencyKey });
    expect(retried.response?.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.data?.id).toBe(created);
    expect(await ordersOf(portico, customerId)).toEqual([created]);
  });

  test.each(['hmac', 'ed25519'] as const)(
    'signed with %s: the retry is signed again with a new nonce and still replayed; the first signature is spent',
    async (kind) => {
      const portico = porticoWith(partner, kind, { baseUrl: proxy.url });
      const { customerId, body } = await newOrderFor(portico);
      const from = proxy.exchanges.length;
      proxy.dropNextAnswer(isCreateOrder);

      const result = await portico.orders.createOrder({ body });

      expect(result.response?.status).toBe(201);
      expect(result.response?.headers.get('idempotent-replayed')).toBe('true');
      const attempts = createOrderAttempts(from);
      expectDroppedThenReplayed(attempts);
      const nonces = attempts.map(
        (attempt) => /;nonce="([^"]+)"/.exec(attempt.headers['signature-input'] ?? '')?.[1],
      );
      expect(nonces.every((nonce) => nonce !== undefined)).toBe(true);
      expect(new Set(nonces).size).toBe(attempts.length);
      expect(result.data!.id).toBe(idOfAnswer(attempts[0]!));
      expect(await ordersOf(portico, customerId)).toEqual([result.data!.id]);

      // Why the SDK must sign again: the first request, resent byte for byte, is refused for its used nonce.
      const resent = await sendRawRequest(running.gatewayUrl, attempts[0]!.requestBytes!);
      expect(resent.status).toBe(401);
    },
  );
});
