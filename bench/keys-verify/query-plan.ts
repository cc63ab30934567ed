// The plan of the gateway's uncached verification query (keys/src/store/api-key-lookup.ts), as each engine chooses
// it on the loaded store: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN (ANALYZE, BUFFERS). The checks say
// what "one indexed lookup" means: api_keys entered through its unique digest index, apps and partners reached by
// primary key, none of the three read whole. (The plans table holds three rows; reading it whole is cheaper than
// an index, so either is accepted.)
import { CompiledQuery } from 'kysely';
import type { Dialect } from '../../internal/src/store/database';
import { apiKeyVerificationQuery } from '../../keys/src/store/api-key-lookup';
import type { KeysStoreDeps } from '../../keys/src/store/deps';

export interface LookupPlan {
  /** The query as the engine receives it. */
  readonly sql: string;
  /** The plan as the engine prints it. */
  readonly text: string;
  /** What "one indexed lookup" requires of this plan, each with whether the plan does it. */
  readonly checks: readonly { readonly says: string; readonly ok: boolean }[];
}

export async function explainLookup(
  deps: Pick<KeysStoreDeps, 'db'>,
  dialect: Dialect,
  digests: readonly string[],
): Promise<LookupPlan> {
  const query = apiKeyVerificationQuery(deps, digests).compile();
  const prefix = dialect === 'sqlite' ? 'explain query plan ' : 'explain (analyze, buffers) ';
  const { rows } = await deps.db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
  );
  const text =
    dialect === 'sqlite' ? sqlitePlanTree(rows) : rows.map((r) => String(r['QUERY PLAN'])).join('\n');
  const checks = CHECKS[dialect].map((check) => ({
    says: check.says,
    ok: check.pattern.test(text) === check.wanted,
  }));
  return { sql: query.sql, text, checks };
}

interface PlanCheck {
  readonly pattern: RegExp;
  /** Whether the plan must match (a required access path) or must not (a full read). */
  readonly wanted: boolean;
  readonly says: string;
}

const CHECKS: Record<Dialect, readonly PlanCheck[]> = {
  sqlite: [
    {
      pattern: /SEARCH api_keys USING INDEX api_keys_digest \(digest=\?\)/,
      wanted: true,
      says: 'api_keys is searched through the unique index api_keys_digest',
    },
    { pattern: /SEARCH apps USING INDEX \w+ \(id=\?\)/, wanted: true, says: 'apps is searched by id' },
    {
      pattern: /SEARCH partners USING INDEX \w+ \(id=\?\)/,
      wanted: true,
      says: 'partners is searched by id',
    },
    {
      pattern: /SCAN (api_keys|apps|partners)\b/,
      wanted: false,
      says: 'api_keys, apps and partners are never scanned',
    },
  ],
  postgres: [
    {
      pattern: /Index Scan using api_keys_digest on api_keys|Bitmap Index Scan on api_keys_digest/,
      wanted: true,
      says: 'api_keys is read through the unique index api_keys_digest',
    },
    { pattern: /Index Scan using \w+ on apps\b/, wanted: true, says: 'apps is read through an index' },
    {
      pattern: /Index Scan using \w+ on partners\b/,
      wanted: true,
      says: 'partners is read through an index',
    },
    {
      pattern: /Seq Scan on (api_keys|apps|partners)\b/,
      wanted: false,
      says: 'api_keys, apps and partners are never read whole',
    },
  ],
};

/** SQLite returns the plan as rows (id, parent, detail); print them as a tree, indented by depth. */
function sqlitePlanTree(rows: readonly Record<string, unknown>[]): string {
  const depth = new Map<number, number>([[0, 0]]);
  const lines = ['QUERY PLAN'];
  for (const row of rows) {
    const level = (depth.get(Number(row.parent)) ?? 0) + 1;
    depth.set(Number(row.id), level);
    lines.push(`${'   '.repeat(level - 1)}|--${String(row.detail)}`);
  }
  return lines.join('\n');
}
