// The scopes of the public APIs (specs/platform Scope), in the order the forms list them.
export const ALL_SCOPES = [
  'crm:read',
  'crm:write',
  'orders:read',
  'orders:write',
  'entitlements:read',
  'entitlements:write',
] as const;

export type Scope = (typeof ALL_SCOPES)[number];
