// Demo data for a fresh tenant: a handful of orders from clinics and pharmacies in every interesting status, made
// through the same store functions as the API so they obey its rules. Idempotent: a tenant with orders is left alone.
import type { DemoRefs, SeedDeps } from '../../../internal/src/service/service-module';
import type { TenantScope } from '../../../internal/src/store/query-helpers';
import { cancelOrder, completeOrder, startFulfillment } from './store/lifecycle';
import type { OrderLineInput, ShippingAddress } from './store/order-model';
import { createOrder, type OrderInput } from './store/orders';
import { findPaymentRow, payOrder } from './store/payments';
import { refundOrder } from './store/refunds';
import type { OrdersTables } from './store/schema';

export type { DemoRefs };

const CLINIC_ADDRESS: ShippingAddress = {
  recipient: 'Chen Jing (pharmacy desk)',
  phone: '+86 571 8888 2100',
  line1: '120 Wensan Road',
  district: 'Xihu',
  city: 'Hangzhou',
  province: 'Zhejiang',
  postalCode: '310012',
  country: 'CN',
};

const PHARMACY_ADDRESS: ShippingAddress = {
  recipient: 'Wang Fang (store manager)',
  phone: '+86 571 8765 4321',
  line1: '35 Qingchun Road',
  district: 'Shangcheng',
  city: 'Hangzhou',
  province: 'Zhejiang',
  postalCode: '310003',
  country: 'CN',
};

const cny = (amount: number) => ({ amount, currency: 'CNY' });

const monitor: OrderLineInput = {
  type: 'goods',
  sku: 'YUWELL-YE660D',
  name: 'Yuwell YE660D upper-arm blood pressure monitor',
  quantity: 3,
  unitPrice: cny(25900),
};
const strips: OrderLineInput = {
  type: 'goods',
  sku: 'SINOCARE-GA3-50',
  name: 'Sinocare GA-3 blood glucose test strips, box of 50',
  quantity: 10,
  unitPrice: cny(6800),
};

/**
 * Seeds the orders of one tenant and returns `refs` with `orderId` (a completed, shipped, partly refunded order)
 * and `paymentId` (its payment). Uses the CRM's `customerId` / `pharmacyCustomerId` and the entitlements'
 * `packageId` when earlier seeders provided them.
 */
export async function seedOrdersDemo(
  deps: SeedDeps<OrdersTables>,
  scope: TenantScope,
  refs: DemoRefs,
): Promise<DemoRefs> {
  const existing = await deps.db
    .selectFrom('orders')
    .select('id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (existing) return withOrder(deps, scope, refs, existing.id);

  // Orders only store customer ids (the backends never call each other), so a made-up one is enough on its own.
  const clinic = refs.customerId ?? deps.newId('cus');
  const pharmacy = refs.pharmacyCustomerId ?? clinic;
  const carePackage: OrderLineInput[] = refs.packageId
    ? [
        {
          type: 'service',
          packageId: refs.packageId,
          name: 'Family Care Annual',
          quantity: 1,
          unitPrice: cny(299900),
        },
      ]
    : [];
  const place = (input: Omit<OrderInput, 'customerId' | 'currency'>, customerId = clinic) =>
    createOrder(deps, scope, { customerId, currency: 'CNY', ...input });
  const pay = (orderId: string, total: number, method: 'wechat_pay' | 'alipay', reference: string) =>
    payOrder(deps, scope, orderId, { method, amount: cny(total), transactionReference: reference });

  // 1. Monitors and strips for the clinic's pharmacy: paid, shipped, delivered, one monitor refunded (damaged).
  const shipped = await place({
    items: [monitor, strips],
    shippingAddress: CLINIC_ADDRESS,
    notes: 'Deliver to the pharmacy desk on the ground floor.',
    metadata: { branch: 'hangzhou-xihu' },
  });
  await pay(shipped.id, shipped.totals.total.amount, 'wechat_pay', '4200002187202611240031846529');
  await startFulfillment(deps, scope, shipped.id);
  await completeOrder(deps, scope, shipped.id, { carrier: 'SF Express', trackingNumber: 'SF1402938475610' });
  await refundOrder(deps, scope, shipped.id, {
    amount: cny(25900),
    reason: 'One blood pressure monitor arrived with a cracked display.',
  });

  // 2. A care package (with a starter box of strips when no package was seeded), paid by Alipay, being fulfilled.
  const care = await place({
    items: carePackage.length > 0 ? carePackage : [{ ...strips, quantity: 2 }],
    discount: cny(8000),
    ...(carePackage.length > 0 ? {} : { shippingAddress: CLINIC_ADDRESS }),
    metadata: { campaign: 'world-diabetes-day' },
  });
  await pay(care.id, care.totals.total.amount, 'alipay', '2026112422001498761234567890');
  await startFulfillment(deps, scope, care.id);

  // 3. The partner pharmacy's restocking order, still waiting for payment.
  await place(
    {
      items: [
        { ...strips, quantity: 20 },
        { ...monitor, quantity: 5 },
      ],
      shippingAddress: PHARMACY_ADDRESS,
      notes: 'Monthly restock; invoice to the pharmacy.',
    },
    pharmacy,
  );

  // 4. An order the patient cancelled before paying.
  const cancelled = await place({ items: [{ ...monitor, quantity: 1 }], shippingAddress: CLINIC_ADDRESS });
  await cancelOrder(deps, scope, cancelled.id, 'The patient bought a monitor at another pharmacy.');

  return withOrder(deps, scope, refs, shipped.id);
}

async function withOrder(
  deps: SeedDeps<OrdersTables>,
  scope: TenantScope,
  refs: DemoRefs,
  orderId: string,
): Promise<DemoRefs> {
  const payment = await findPaymentRow(deps.db, scope, orderId);
  return { ...refs, orderId, ...(payment ? { paymentId: payment.id } : {}) };
}
