// Every operation of specs/platform, by operationId (STYLE.md: one handler file per operation, named after it).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';
import { signUp } from './sign-up';
import { login } from './login';
import { getSession } from './get-session';
import { logout } from './logout';
import { acceptInvitation } from './accept-invitation';
import { getMe } from './get-me';
import { listPersonalTokens } from './list-personal-tokens';
import { createPersonalToken } from './create-personal-token';
import { getPersonalToken } from './get-personal-token';
import { revokePersonalToken } from './revoke-personal-token';
import { getPartner } from './get-partner';
import { updatePartner } from './update-partner';
import { listMembers } from './list-members';
import { inviteMember } from './invite-member';
import { getMember } from './get-member';
import { updateMember } from './update-member';
import { removeMember } from './remove-member';
import { listPlans } from './list-plans';
import { getPlan } from './get-plan';
import { listApps } from './list-apps';
import { createApp } from './create-app';
import { getApp } from './get-app';
import { updateApp } from './update-app';
import { deleteApp } from './delete-app';
import { listApiKeys } from './list-api-keys';
import { createApiKey } from './create-api-key';
import { getApiKey } from './get-api-key';
import { rollApiKey } from './roll-api-key';
import { revokeApiKey } from './revoke-api-key';
import { listOAuthClients } from './list-oauth-clients';
import { createOAuthClient } from './create-oauth-client';
import { getOAuthClient } from './get-oauth-client';
import { deleteOAuthClient } from './delete-oauth-client';
import { rotateOAuthClientSecret } from './rotate-oauth-client-secret';
import { listSigningKeys } from './list-signing-keys';
import { createSigningKey } from './create-signing-key';
import { getSigningKey } from './get-signing-key';
import { revokeSigningKey } from './revoke-signing-key';
import { getAppUsage } from './get-app-usage';
import { getPartnerUsage } from './get-partner-usage';
import { listRequests } from './list-requests';
import { listAuditEvents } from './list-audit-events';
import { operatorListPartners } from './operator-list-partners';
import { operatorGetPartner } from './operator-get-partner';
import { operatorChangePartnerPlan } from './operator-change-partner-plan';
import { operatorSuspendPartner } from './operator-suspend-partner';
import { operatorReinstatePartner } from './operator-reinstate-partner';
import { operatorListApps } from './operator-list-apps';
import { operatorApproveApp } from './operator-approve-app';
import { operatorRejectApp } from './operator-reject-app';

export function managementOperations(deps: PortalDeps): Record<string, OperationHandler> {
  return {
    signUp: signUp(deps),
    login: login(deps),
    getSession: getSession(deps),
    logout: logout(deps),
    acceptInvitation: acceptInvitation(deps),
    getMe: getMe(deps),
    listPersonalTokens: listPersonalTokens(deps),
    createPersonalToken: createPersonalToken(deps),
    getPersonalToken: getPersonalToken(deps),
    revokePersonalToken: revokePersonalToken(deps),
    getPartner: getPartner(deps),
    updatePartner: updatePartner(deps),
    listMembers: listMembers(deps),
    inviteMember: inviteMember(deps),
    getMember: getMember(deps),
    updateMember: updateMember(deps),
    removeMember: removeMember(deps),
    listPlans: listPlans(deps),
    getPlan: getPlan(deps),
    listApps: listApps(deps),
    createApp: createApp(deps),
    getApp: getApp(deps),
    updateApp: updateApp(deps),
    deleteApp: deleteApp(deps),
    listApiKeys: listApiKeys(deps),
    createApiKey: createApiKey(deps),
    getApiKey: getApiKey(deps),
    rollApiKey: rollApiKey(deps),
    revokeApiKey: revokeApiKey(deps),
    listOAuthClients: listOAuthClients(deps),
    createOAuthClient: createOAuthClient(deps),
    getOAuthClient: getOAuthClient(deps),
    deleteOAuthClient: deleteOAuthClient(deps),
    rotateOAuthClientSecret: rotateOAuthClientSecret(deps),
    listSigningKeys: listSigningKeys(deps),
    createSigningKey: createSigningKey(deps),
    getSigningKey: getSigningKey(deps),
    revokeSigningKey: revokeSigningKey(deps),
    getAppUsage: getAppUsage(deps),
    getPartnerUsage: getPartnerUsage(deps),
    listRequests: listRequests(deps),
    listAuditEvents: listAuditEvents(deps),
    operatorListPartners: operatorListPartners(deps),
    operatorGetPartner: operatorGetPartner(deps),
    operatorChangePartnerPlan: operatorChangePartnerPlan(deps),
    operatorSuspendPartner: operatorSuspendPartner(deps),
    operatorReinstatePartner: operatorReinstatePartner(deps),
    operatorListApps: operatorListApps(deps),
    operatorApproveApp: operatorApproveApp(deps),
    operatorRejectApp: operatorRejectApp(deps),
  };
}
