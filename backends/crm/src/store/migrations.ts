// The CRM schema, as ordered migrations. Never edit one that has shipped; add the next.
import type { Kysely } from 'kysely';
import type { Migrations } from '../../../../internal/src/store/migrate';

export const crmMigrations: Migrations = {
  '0001_customers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Every list is "this tenant's rows, newest id first".
      await db.schema
        .createIndex('customers_tenant_id')
        .on('customers')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
    },
  },
};
