// Reads and writes a tenant's leads. Status moves are one conditional UPDATE guarded by the lifecycle (the row
// changes only if it is still in a status the move is allowed from), so concurrent moves cannot both win.
import { fetchPage } from '../../../../internal/src/store/paging';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { matchesText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import type { CrmStoreDeps } from './customers';
import { leadStatusesBefore, type LeadSource, type LeadStatus } from './lead-lifecycle';
import type { LeadsTable } from './schema';

export interface Lead {
  id: string;
  source: LeadSource;
  status: LeadStatus;
  name: string;
  companyName?: string;
  title?: string;
  email?: string;
  phone?: string;
  wechatId?: string;
  notes?: string;
  convertedAt?: string;
  convertedCustomerId?: string;
  convertedContactId?: string;
  convertedOpportunityId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface LeadInput {
  source: LeadSource;
  name: string;
  companyName?: string;
  title?: string;
  email?: string;
  phone?: string;
  wechatId?: string;
  notes?: string;
}

export interface LeadChanges {
  status?: Exclude<LeadStatus, 'converted'>;
  name?: string;
  companyName?: string | null;
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  wechatId?: string | null;
  notes?: string | null;
}

export interface LeadFilter {
  status?: LeadStatus;
  source?: LeadSource;
  q?: string;
}

export function toLead(row: LeadsTable): Lead {
  const optional = {
    companyName: row.company_name,
    title: row.title,
    email: row.email,
    phone: row.phone,
    wechatId: row.wechat_id,
    notes: row.notes,
    convertedAt: row.converted_at,
    convertedCustomerId: row.converted_customer_id,
    convertedContactId: row.converted_contact_id,
    convertedOpportunityId: row.converted_opportunity_id,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null));
  return {
    id: row.id,
    source: row.source as LeadSource,
    status: row.status as LeadStatus,
    name: row.name,
    ...present,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createLead(deps: CrmStoreDeps, scope: TenantScope, input: LeadInput): Promise<Lead> {
  const now = deps.clock.now().toISOString();
  const row: LeadsTable = {
    id: deps.newId('lead'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    source: input.source,
    status: 'new',
    name: input.name,
    company_name: input.companyName ?? null,
    title: input.title ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    wechat_id: input.wechatId ?? null,
    notes: input.notes ?? null,
    converted_at: null,
    converted_customer_id: null,
    converted_contact_id: null,
    converted_opportunity_id: null,
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto('leads').values(row).execute();
  return toLead(row);
}

export async function findLeadRow(
  deps: Pick<CrmStoreDeps, 'db'>,
  scope: TenantScope,
  id: string,
): Promise<LeadsTable | undefined> {
  return deps.db
    .selectFrom('leads')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getLead(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<Lead> {
  const row = await findLeadRow(deps, scope, id);
  if (!row) throw notFound('lead', id);
  return toLead(row);
}

export async function listLeads(
  deps: CrmStoreDeps,
  scope: TenantScope,
  filter: LeadFilter,
  page: PageRequest,
): Promise<Page<Lead>> {
  let query = deps.db
    .selectFrom('leads')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.source) query = query.where('source', '=', filter.source);
  if (filter.q) query = query.where(matchesText(['name', 'company_name', 'email'], filter.q));
  return fetchPage(query, page, toLead);
}

/** Changes fields and/or moves the status; 409 when the move is not in the lifecycle or the lead is converted. */
export async function updateLead(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
  changes: LeadChanges,
): Promise<Lead> {
  const values: Partial<LeadsTable> = { updated_at: deps.clock.now().toISOString() };
  if (changes.status !== undefined) values.status = changes.status;
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.companyName !== undefined) values.company_name = changes.companyName;
  if (changes.title !== undefined) values.title = changes.title;
  if (changes.email !== undefined) values.email = changes.email;
  if (changes.phone !== undefined) values.phone = changes.phone;
  if (changes.wechatId !== undefined) values.wechat_id = changes.wechatId;
  if (changes.notes !== undefined) values.notes = changes.notes;
  // The guard: a status move needs one of the statuses it is allowed from; a plain edit needs "not converted".
  const allowedFrom: LeadStatus[] = changes.status
    ? leadStatusesBefore(changes.status)
    : ['new', 'contacted', 'qualified', 'disqualified'];
  const updated =
    allowedFrom.length === 0
      ? 0
      : Number(
          (
            await deps.db
              .updateTable('leads')
              .set(values)
              .where('partner_id', '=', scope.partnerId)
              .where('environment', '=', scope.environment)
              .where('id', '=', id)
              .where('status', 'in', allowedFrom)
              .executeTakeFirst()
          ).numUpdatedRows,
        );
  const row = await findLeadRow(deps, scope, id);
  if (!row) throw notFound('lead', id);
  if (updated === 0) {
    const current = row.status as LeadStatus;
    throw changes.status
      ? new ProblemError(
          'invalid_transition',
          `A lead in status '${current}' cannot move to '${changes.status}'.`,
          { extensions: { currentStatus: current } },
        )
      : new ProblemError('conflict', 'A converted lead can no longer be changed.', {
          extensions: { currentStatus: current },
        });
  }
  return toLead(row);
}

export async function deleteLead(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<void> {
  const result = await deps.db
    .deleteFrom('leads')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('lead', id);
}
