// The CRM's tables as Kysely sees them. Every table carries partner_id and environment: all queries filter on both.
// Portable types only (STACK.md pitfall 9): text ids and ISO timestamps, JSON as text, integers, booleans as 0/1.
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

export interface ContactsTable {
  id: string;
  partner_id: string;
  environment: string;
  customer_id: string;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  wechat_id: string | null;
  /** 0 or 1; a partial unique index allows one 1 per customer. */
  is_primary: number;
  created_at: string;
  updated_at: string;
}

export interface LeadsTable {
  id: string;
  partner_id: string;
  environment: string;
  source: string;
  status: string;
  name: string;
  company_name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  wechat_id: string | null;
  notes: string | null;
  converted_at: string | null;
  converted_customer_id: string | null;
  converted_contact_id: string | null;
  converted_opportunity_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface OpportunitiesTable {
  id: string;
  partner_id: string;
  environment: string;
  customer_id: string;
  contact_id: string | null;
  lead_id: string | null;
  name: string;
  stage: string;
  /** Integer minor units of `currency`. */
  amount_minor: number;
  currency: string;
  /** RFC 3339 full-date. */
  expected_close_date: string | null;
  lost_reason: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OpportunityStageChangesTable {
  id: string;
  partner_id: string;
  environment: string;
  opportunity_id: string;
  from_stage: string | null;
  to_stage: string;
  changed_at: string;
}

export interface ActivitiesTable {
  id: string;
  partner_id: string;
  environment: string;
  customer_id: string;
  contact_id: string | null;
  opportunity_id: string | null;
  type: string;
  subject: string;
  content: string | null;
  occurred_at: string | null;
  due_at: string | null;
  completed_at: string | null;
  /** occurred_at, or due_at for a follow-up: the time the timeline's date-range filter applies to. */
  timeline_at: string;
  created_at: string;
  updated_at: string;
}

export interface CrmTables {
  customers: CustomersTable;
  contacts: ContactsTable;
  leads: LeadsTable;
  opportunities: OpportunitiesTable;
  opportunity_stage_changes: OpportunityStageChangesTable;
  activities: ActivitiesTable;
}
