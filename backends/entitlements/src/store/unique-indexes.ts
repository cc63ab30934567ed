// The unique indexes of the entitlement store (created in migration 0001), described so that a store can tell
// which rule a refused write broke (violatedUniqueIndex) and answer with that rule's own message and pointer.
export const ITEMS_TENANT_SKU = {
  name: 'items_tenant_sku',
  table: 'items',
  columns: ['partner_id', 'environment', 'sku'],
};

export const GRANTS_TENANT_ORDER_PACKAGE = {
  name: 'grants_tenant_order_package',
  table: 'grants',
  columns: ['partner_id', 'environment', 'order_id', 'package_id'],
};

export const REDEMPTIONS_GRANT_EXTERNAL_REF = {
  name: 'redemptions_grant_external_ref',
  table: 'redemptions',
  columns: ['grant_id', 'external_ref'],
};
