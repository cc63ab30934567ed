// The entitlement service's tables as Kysely sees them. Every table carries partner_id and environment: all queries
// filter on both. Portable types only (STACK.md pitfall 9): text ids, ISO timestamps, JSON as text, 0/1 booleans.
export interface ItemsTable {
  id: string;
  partner_id: string;
  environment: string;
  type: string;
  name: string;
  description: string | null;
  category: string;
  unit: string;
  sku: string | null;
  active: number;
  /** 1 once the item has been part of a package: it can no longer be deleted nor change its unit. */
  used: number;
  metadata: string;
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
}

export interface PackagesTable {
  id: string;
  partner_id: string;
  environment: string;
  name: string;
  description: string | null;
  status: string;
  price_amount: number;
  price_currency: string;
  /** JSON text of the Validity union ({ kind: 'rolling', days } or { kind: 'fixed', validFrom, validUntil }). */
  validity: string;
  /** Bumped (with a row lock) by every grant; items are frozen once it is above 0. */
  grant_count: number;
  metadata: string;
  created_at: string;
  updated_at: string;
  activated_at: string | null;
  retired_at: string | null;
}

export interface PackageItemsTable {
  partner_id: string;
  environment: string;
  package_id: string;
  item_id: string;
  quantity: number;
  position: number;
}

export interface GrantsTable {
  id: string;
  partner_id: string;
  environment: string;
  customer_id: string;
  package_id: string;
  package_name: string;
  order_id: string | null;
  status: string;
  starts_at: string;
  expires_at: string;
  note: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface GrantBalancesTable {
  partner_id: string;
  environment: string;
  grant_id: string;
  item_id: string;
  item_name: string;
  item_type: string;
  unit: string;
  granted: number;
  used: number;
  remaining: number;
  position: number;
}

export interface RedemptionsTable {
  id: string;
  partner_id: string;
  environment: string;
  grant_id: string;
  item_id: string;
  quantity: number;
  occurred_at: string;
  note: string | null;
  external_ref: string | null;
  status: string;
  remaining_after: number;
  reversed_at: string | null;
  reversal_reason: string | null;
  created_at: string;
}

export interface GrantEventsTable {
  id: string;
  partner_id: string;
  environment: string;
  grant_id: string;
  type: string;
  occurred_at: string;
  redemption_id: string | null;
  item_id: string | null;
  quantity: number | null;
  reason: string | null;
  created_at: string;
}

export interface EntitlementsTables {
  items: ItemsTable;
  packages: PackagesTable;
  package_items: PackageItemsTable;
  grants: GrantsTable;
  grant_balances: GrantBalancesTable;
  redemptions: RedemptionsTable;
  grant_events: GrantEventsTable;
}
