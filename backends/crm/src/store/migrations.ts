// The CRM schema, as ordered migrations. Never edit one that has shipped; add the next.
import { sql, type Kysely } from 'kysely';
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
  '0002_contacts_leads_opportunities_activities': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        // Deleting a customer deletes its contacts (and, below, its activities) in the same statement.
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('wechat_id', 'text')
        .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('contacts_tenant_customer_id')
        .on('contacts')
        .columns(['partner_id', 'environment', 'customer_id', 'id'])
        .execute();
      await db.schema
        .createIndex('contacts_tenant_id')
        .on('contacts')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
      await db.schema.createIndex('contacts_customer').on('contacts').column('customer_id').execute();
      // The last line of defence for "at most one primary contact per customer": whatever the code does, the
      // database refuses a second one (a partial index; both SQLite and PostgreSQL support them).
      await db.schema
        .createIndex('contacts_one_primary_per_customer')
        .on('contacts')
        .column('customer_id')
        .unique()
        .where(sql.ref('is_primary'), '=', sql.lit(1))
        .execute();

      await db.schema
        .createTable('leads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('company_name', 'text')
        .addColumn('title', 'text')
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('wechat_id', 'text')
        .addColumn('notes', 'text')
        .addColumn('converted_at', 'text')
        // Not foreign keys: the records a conversion created may be deleted later; the lead keeps their ids.
        .addColumn('converted_customer_id', 'text')
        .addColumn('converted_contact_id', 'text')
        .addColumn('converted_opportunity_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('leads_tenant_id')
        .on('leads')
        .columns(['partner_id', 'environment', 'id'])
        .execute();

      await db.schema
        .createTable('opportunities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        // No cascade: a customer with opportunities cannot be deleted, and the database enforces it too.
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
        .addColumn('lead_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('expected_close_date', 'text')
        .addColumn('lost_reason', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('opportunities_tenant_id')
        .on('opportunities')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
      await db.schema
        .createIndex('opportunities_customer')
        .on('opportunities')
        .column('customer_id')
        .execute();
      await db.schema.createIndex('opportunities_contact').on('opportunities').column('contact_id').execute();

      await db.schema
        .createTable('opportunity_stage_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('opportunity_id', 'text', (c) =>
          c.notNull().references('opportunities.id').onDelete('cascade'),
        )
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('opportunity_stage_changes_opportunity')
        .on('opportunity_stage_changes')
        .columns(['opportunity_id', 'id'])
        .execute();

      await db.schema
        .createTable('activities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        // An activity outlives the contact or opportunity it named: it stays on the customer's timeline.
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
        .addColumn('opportunity_id', 'text', (c) => c.references('opportunities.id').onDelete('set null'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('content', 'text')
        .addColumn('occurred_at', 'text')
        .addColumn('due_at', 'text')
        .addColumn('completed_at', 'text')
        .addColumn('timeline_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('activities_tenant_customer_id')
        .on('activities')
        .columns(['partner_id', 'environment', 'customer_id', 'id'])
        .execute();
      await db.schema
        .createIndex('activities_tenant_id')
        .on('activities')
        .columns(['partner_id', 'environment', 'id'])
        .execute();
      await db.schema.createIndex('activities_customer').on('activities').column('customer_id').execute();
      await db.schema.createIndex('activities_contact').on('activities').column('contact_id').execute();
      await db.schema
        .createIndex('activities_opportunity')
        .on('activities')
        .column('opportunity_id')
        .execute();
    },
  },
};
