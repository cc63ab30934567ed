// Who may call each management operation, read from specs/platform once at start-up: the credentials it accepts
// (its `security`), the roles of `x-portico-roles` and, for changes to apps and credentials, the roles of
// `x-portico-live-roles` that apply when the app is in `live`. Authorisation is thus written down in the spec only.
import fs from 'node:fs';
import { parse } from 'yaml';
import type { Role } from '../../../../keys/src/store/members';

export type CredentialScheme = 'session' | 'csrfToken' | 'personalToken' | 'operatorToken';
export type Caller = Role | 'anonymous' | 'operator';

export interface OperationPolicy {
  operationId: string;
  method: string;
  /** The path template below the server's base path, e.g. /apps/{appId}. */
  path: string;
  pattern: RegExp;
  roles: ReadonlySet<Caller>;
  /** Roles allowed to change a live app or its credentials; undefined when the operation does not touch an app. */
  liveRoles: ReadonlySet<Role> | undefined;
  /** Alternatives, each a set of schemes that must all be present (OpenAPI security requirement objects). */
  security: ReadonlyArray<ReadonlySet<CredentialScheme>>;
  /** Reads (GET) need platform:read from a personal token; everything else platform:write. */
  changes: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface RawOperation {
  operationId?: string;
  security?: Array<Record<string, unknown>>;
  'x-portico-roles'?: Caller[];
  'x-portico-live-roles'?: Role[];
}

export function loadOperationPolicies(specPath: string): OperationPolicy[] {
  const doc = parse(fs.readFileSync(specPath, 'utf8')) as {
    security?: RawOperation['security'];
    paths: Record<string, Partial<Record<(typeof METHODS)[number], RawOperation>>>;
  };
  const policies: OperationPolicy[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const roles = op['x-portico-roles'];
      if (!op.operationId || !roles || roles.length === 0) {
        // Refuse to start rather than serve an operation nobody decided who may call.
        throw new Error(
          `specs/platform: ${method.toUpperCase()} ${path} lacks operationId or x-portico-roles`,
        );
      }
      policies.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        pattern: templatePattern(path),
        roles: new Set(roles),
        liveRoles: op['x-portico-live-roles'] ? new Set(op['x-portico-live-roles']) : undefined,
        security: (op.security ?? doc.security ?? []).map(
          (requirement) => new Set(Object.keys(requirement) as CredentialScheme[]),
        ),
        changes: method !== 'get',
      });
    }
  }
  return policies;
}

/** Finds the policy of a request path below the base path; undefined leaves the answer (404/405) to the validator. */
export function matchPolicy(
  policies: readonly OperationPolicy[],
  method: string,
  path: string,
): OperationPolicy | undefined {
  const verb = method === 'HEAD' ? 'GET' : method;
  return policies.find((policy) => policy.method === verb && policy.pattern.test(path));
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  // Case-insensitive like the spec validator's router: the two must agree on which operation a path is, or a
  // request could be routed to a handler without its policy (app.ts also refuses any such mismatch).
  return new RegExp(`^${source}/?$`, 'i');
}
