// The meter policy's public surface for the gateway app: after a response has finished, `usage.record(event)` and
// `credentials.record(caller.scheme, caller.credentialId)`; both write in batches off the response path.
export {
  createUsageMeter,
  USAGE_METER_DEFAULTS,
  type RecordUsage,
  type UsageEvent,
  type UsageMeter,
  type UsageMeterOptions,
  type UsageMeterStats,
} from './usage-meter';
export {
  createCredentialUse,
  CREDENTIAL_USE_DEFAULTS,
  type CredentialUse,
  type CredentialUseOptions,
} from './credential-use';
