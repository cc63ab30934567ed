// The app a change operation names in its path, once the caller may change it: another partner's app is 404
// (never 403, platform spec: Tenancy), then a live app needs one of the operation's live roles (403).
import type { Request, Response } from 'express';
import { getApp, type App } from '../../../keys/src/store/apps';
import type { PartnerScope } from '../../../keys/src/store/deps';
import { assertMayChangeApp, partnerScopeOf } from './auth/caller';
import type { PortalDeps } from './deps';

export async function appToChange(
  deps: PortalDeps,
  req: Request,
  res: Response,
): Promise<{ scope: PartnerScope; appId: string; app: App }> {
  const scope = partnerScopeOf(res);
  const appId = String(req.params.appId);
  const app = await getApp(deps, scope, appId);
  assertMayChangeApp(res, app.environment);
  return { scope, appId, app };
}
