// POST /signup: a new partner on the default plan, its owner, and the owner's first session.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { DEFAULT_SCRYPT_PARAMS, hashPassword } from '../../../../keys/src/domain/password';
import { checkPasswordPolicy, PASSWORD_PROBLEM_DETAILS } from '../../../../keys/src/domain/password-policy';
import { createPartnerWithOwner } from '../../../../keys/src/store/partners';
import { findPlanByCode } from '../../../../keys/src/store/plans';
import { DEFAULT_PLAN_CODE } from '../../../../keys/src/store/seeded-plans';
import { clientOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { startSession } from './start-session';

interface SignUpBody {
  partnerName: string;
  name: string;
  email: string;
  password: string;
}

export function signUp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const body = req.body as SignUpBody;
    const problems = checkPasswordPolicy(body.password, { email: body.email });
    if (problems.length > 0) {
      throw new ProblemError('unprocessable', PASSWORD_PROBLEM_DETAILS[problems[0]!], {
        errors: problems.map((p) => ({ pointer: '/password', detail: PASSWORD_PROBLEM_DETAILS[p] })),
      });
    }
    const plan = await findPlanByCode(deps, DEFAULT_PLAN_CODE);
    if (!plan) throw new Error(`the default plan '${DEFAULT_PLAN_CODE}' is missing from the store`);
    const passwordHash = await hashPassword(body.password, deps.scrypt ?? DEFAULT_SCRYPT_PARAMS);
    const created = await createPartnerWithOwner(
      deps,
      {
        partnerName: body.partnerName,
        planId: plan.id,
        owner: { name: body.name, email: body.email, passwordHash },
      },
      clientOf(req, res),
    );
    res.location(`${res.locals.basePath}/partner`);
    await startSession(deps, req, res, { member: created.owner, partner: created.partner }, 201);
  };
}
