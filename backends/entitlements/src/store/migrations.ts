// The entitlement service's schema, as ordered migrations. Never edit one that has shipped; add the next.
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../../internal/src/store/migrate';

export const entitlementsMigrations: Migrations = {
  '0001_catalogue_packages_grants': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('sku', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('used', 'integer', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deactivated_at', 'text')
        .execute();
      // Every list is "this tenant's rows, newest id first".
      await db.schema
        .createIndex('items_tenant_id')
        .on('items')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
      // A SKU names one item of a tenant; services have none (NULLs never collide, on both engines).
      await db.schema
        .createIndex('items_tenant_sku')
        .unique()
        .on('items')
        .columns(['partner_id', 'environment', 'sku'])
        .execute();

      await db.schema
        .createTable('packages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('price_amount', 'bigint', (c) => c.notNull())
        .addColumn('price_currency', 'text', (c) => c.notNull())
        .addColumn('validity', 'text', (c) => c.notNull())
        .addColumn('grant_count', 'integer', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('activated_at', 'text')
        .addColumn('retired_at', 'text')
        .execute();
      await db.schema
        .createIndex('packages_tenant_id')
        .on('packages')
        .columns(['partner_id', 'environment', 'id'])
        .execute();

      await db.schema
        .createTable('package_items')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id').onDelete('cascade'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('package_items_pk', ['package_id', 'item_id'])
        .execute();
      await db.schema.createIndex('package_items_item').on('package_items').columns(['item_id']).execute();

      await db.schema
        .createTable('grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id'))
        .addColumn('package_name', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('grants_tenant_id')
        .on('grants')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
      await db.schema
        .createIndex('grants_tenant_customer')
        .on('grants')
        .columns(['partner_id', 'environment', 'customer_id', 'id'])
        .execute();
      // The expiry sweep looks for live grants whose time has passed.
      await db.schema
        .createIndex('grants_tenant_status_expiry')
        .on('grants')
        .columns(['partner_id', 'environment', 'status', 'expires_at'])
        .execute();
      // An order grants a package once; a concurrent duplicate loses here, whatever the timing.
      await db.schema
        .createIndex('grants_tenant_order_package')
        .unique()
        .on('grants')
        .columns(['partner_id', 'environment', 'order_id', 'package_id'])
        .execute();

      await db.schema
        .createTable('grant_balances')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.id'))
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('item_name', 'text', (c) => c.notNull())
        .addColumn('item_type', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('granted', 'integer', (c) => c.notNull())
        .addColumn('used', 'integer', (c) => c.notNull())
        .addColumn('remaining', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('grant_balances_pk', ['grant_id', 'item_id'])
        // The last line of defence: the conditional decrement already keeps this true.
        .addCheckConstraint('grant_balances_remaining_not_negative', sql`remaining >= 0`)
        .addCheckConstraint('grant_balances_used_not_negative', sql`used >= 0`)
        .execute();

      await db.schema
        .createTable('redemptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.id'))
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('external_ref', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('remaining_after', 'integer', (c) => c.notNull())
        .addColumn('reversed_at', 'text')
        .addColumn('reversal_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('redemptions_grant_id')
        .on('redemptions')
        .columns(['grant_id', 'id'])
        .execute();
      // The same appointment (external reference) is never redeemed twice on a grant.
      await db.schema
        .createIndex('redemptions_grant_external_ref')
        .unique()
        .on('redemptions')
        .columns(['grant_id', 'external_ref'])
        .execute();

      await db.schema
        .createTable('grant_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('redemption_id', 'text')
        .addColumn('item_id', 'text')
        .addColumn('quantity', 'integer')
        .addColumn('reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('grant_events_grant_id')
        .on('grant_events')
        .columns(['grant_id', 'id'])
        .execute();
    },
  },
};
