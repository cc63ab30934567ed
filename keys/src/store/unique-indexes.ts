// The unique indexes of the control-plane store (created in its migrations), described so that a store function
// can tell which rule a refused write broke (violatedUniqueIndex) and answer with that rule's own problem.
export const MEMBERS_EMAIL = { name: 'members_email', table: 'members', columns: ['email_normalized'] };

export const APPS_TENANT_NAME = {
  name: 'apps_tenant_name',
  table: 'apps',
  columns: ['partner_id', 'environment', 'name'],
};

export const API_KEYS_DIGEST = { name: 'api_keys_digest', table: 'api_keys', columns: ['digest'] };

export const SIGNING_KEYS_APP_THUMBPRINT = {
  name: 'signing_keys_app_thumbprint',
  table: 'signing_keys',
  columns: ['app_id', 'thumbprint'],
};
