// The order centre's schema, as ordered migrations. Never edit one that has shipped; add the next.
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../../internal/src/store/migrate';

/** One payment per order (partial payments are not supported); the store recognises its violation by this. */
export const PAYMENTS_ORDER_INDEX = {
  name: 'payments_tenant_order',
  table: 'payments',
  columns: ['partner_id', 'environment', 'order_id'],
};

export const ordersMigrations: Migrations = {
  '0001_orders': {
    async up(db: Kysely<unknown>) {
      // Money is `bigint`: minor units go up to 900719925474099 (common Money schema), beyond a 32-bit integer.
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('subtotal_amount', 'bigint', (c) => c.notNull())
        .addColumn('discount_amount', 'bigint', (c) => c.notNull())
        .addColumn('total_amount', 'bigint', (c) => c.notNull())
        .addColumn('amount_paid', 'bigint', (c) => c.notNull())
        .addColumn('amount_refunded', 'bigint', (c) => c.notNull())
        .addColumn('requires_shipping', 'integer', (c) => c.notNull())
        .addColumn('shipping_address', 'text')
        .addColumn('shipment', 'text')
        .addColumn('notes', 'text')
        .addColumn('cancellation_reason', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('paid_at', 'text')
        .addColumn('fulfillment_started_at', 'text')
        .addColumn('completed_at', 'text')
        .addColumn('cancelled_at', 'text')
        .addColumn('refunded_at', 'text')
        // The last line of defence for the refund guarantee: whatever the code does, refunds never exceed the payment.
        .addCheckConstraint('orders_refund_within_paid', sql`amount_refunded <= amount_paid`)
        .execute();
      // Every list is "this tenant's rows, newest id first", optionally for one customer or one status.
      await db.schema
        .createIndex('orders_tenant_id')
        .on('orders')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
      await db.schema
        .createIndex('orders_tenant_customer_id')
        .on('orders')
        .columns(['partner_id', 'environment', 'customer_id', 'id'])
        .execute();

      await db.schema
        .createTable('order_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('sku', 'text')
        .addColumn('package_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_price_amount', 'bigint', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('order_items_order_position')
        .on('order_items')
        .columns(['order_id', 'position'])
        .unique()
        .execute();

      await db.schema
        .createTable('payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('transaction_reference', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // Partial payments are not supported: one payment per order, enforced by the database as well as the
      // conditional status update, so no race can ever record a second one.
      await db.schema.createIndex('payments_order').on('payments').column('order_id').unique().execute();
      await db.schema
        .createIndex('payments_tenant_id')
        .on('payments')
        .columns(['partner_id', 'environment', 'id'])
        .execute();

      await db.schema
        .createTable('refunds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('automatic', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('refunds_order_id').on('refunds').columns(['order_id', 'id']).execute();
      await db.schema
        .createIndex('refunds_tenant_id')
        .on('refunds')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
    },
  },
  '0002_tenant_unique_indexes': {
    async up(db: Kysely<unknown>) {
      // Unique rules hold within a tenant's partition: leading with partner_id and environment, a row can only ever
      // collide with a row of its own tenant (never reveal another's), and the index serves the scoped lookups.
      await db.schema.dropIndex('payments_order').execute();
      await db.schema
        .createIndex(PAYMENTS_ORDER_INDEX.name)
        .on(PAYMENTS_ORDER_INDEX.table)
        .columns(PAYMENTS_ORDER_INDEX.columns)
        .unique()
        .execute();
      await db.schema.dropIndex('order_items_order_position').execute();
      await db.schema
        .createIndex('order_items_tenant_order_position')
        .on('order_items')
        .columns(['partner_id', 'environment', 'order_id', 'position'])
        .unique()
        .execute();
    },
  },
};
