// Writes last-used times of credentials in batches, off the hot path: one UPDATE per chunk (chunked only to stay
// under the engines' bound-parameter limits), and a time never moves backwards, so a late batch cannot overwrite
// a newer one. Shared by API keys, OAuth clients, personal tokens and signing keys.
import type { KeysStoreDeps } from './deps';

export type CredentialTable = 'api_keys' | 'oauth_clients' | 'personal_tokens' | 'signing_keys';

const CHUNK = 1000;

export async function touchLastUsed(
  deps: Pick<KeysStoreDeps, 'db'>,
  table: CredentialTable,
  ids: readonly string[],
  usedAt: string,
): Promise<number> {
  const unique = [...new Set(ids)];
  let touched = 0;
  for (let i = 0; i < unique.length; i += CHUNK) {
    const result = await deps.db
      .updateTable(table)
      .set({ last_used_at: usedAt })
      .where('id', 'in', unique.slice(i, i + CHUNK))
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', usedAt)]))
      .executeTakeFirst();
    touched += Number(result.numUpdatedRows);
  }
  return touched;
}
