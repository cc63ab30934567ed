// Apps for the credential, usage and audit tests: made through the store as their member would make them (so those
// suites do not depend on the app operations), or through the API; live ones approved by the operator or pending.
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../../../internal/src/http/locals';
import { createApp, reviewApp, type App } from '../../../../keys/src/store/apps';
import { contextOf, OPERATOR_CONTEXT } from './audit';
import type { MemberSession, TestPortal } from './portal-harness';

/** An app of the session's partner, created by its member; a live app is approved, so it is `active`. */
export async function appOf(
  portal: TestPortal,
  session: MemberSession,
  environment: Environment = 'test',
  scopes: string[] = ['crm:read', 'crm:write', 'orders:read'],
): Promise<App> {
  const app = await createApp(
    portal.deps,
    { partnerId: session.partner.id },
    { name: `Clinic sync ${randomBytes(4).toString('hex')}`, environment, scopes },
    contextOf(session),
  );
  return environment === 'live'
    ? reviewApp(portal.deps, app.id, { action: 'approve' }, OPERATOR_CONTEXT)
    : app;
}

/** A live app still awaiting the operator's approval (it cannot hold credentials). */
export async function pendingLiveAppOf(portal: TestPortal, session: MemberSession): Promise<App> {
  return createApp(
    portal.deps,
    { partnerId: session.partner.id },
    { name: `Pending ${randomBytes(4).toString('hex')}`, environment: 'live', scopes: ['crm:read'] },
    contextOf(session),
  );
}

/** A live app created through the API (as the app tests want it) and approved by the operator through the store. */
export async function approvedLiveApp(
  portal: TestPortal,
  owner: MemberSession,
  scopes: string[] = ['crm:read', 'crm:write'],
): Promise<App> {
  const created = await owner.client.call('createApp', {
    body: { name: `Live ${randomBytes(4).toString('hex')}`, environment: 'live', scopes },
  });
  if (created.status !== 201) throw new Error(`createApp answered ${created.status}: ${created.text}`);
  return reviewApp(portal.deps, created.body.id, { action: 'approve' }, OPERATOR_CONTEXT);
}
