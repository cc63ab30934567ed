// The CRM's tables as Kysely sees them. Every table carries partner_id and environment: all queries filter on both.
// Portable types only (STACK.md pitfall 9): text ids and ISO timestamps, JSON as text, integers.
export interface CustomersTable {
  id: string;
  partner_id: string;
  environment: string;
  kind: string;
  name: string;
  email: string | null;
  phone: string | null;
  lifecycle_stage: string;
  tags: string;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface CrmTables {
  customers: CustomersTable;
}
