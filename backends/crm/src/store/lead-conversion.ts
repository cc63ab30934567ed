// Converts a qualified lead into a customer with the lead as its primary contact, and optionally an opportunity,
// in one transaction. The first statement is the guarded status move qualified → converted: on PostgreSQL it
// takes the lead's row lock, so a concurrent conversion waits and then finds the lead no longer qualified;
// SQLite runs one write transaction at a time. Either everything is written or nothing is.
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import { insertContact, type Contact } from './contacts';
import { type CrmStoreDeps, type Customer, type CustomerKind, createCustomer } from './customers';
import { findLeadRow, type Lead, toLead } from './leads';
import type { LeadStatus } from './lead-lifecycle';
import { insertOpportunity, type Money, type Opportunity } from './opportunities';

export interface LeadConversionRequest {
  customer?: { kind?: CustomerKind; name?: string; tags?: string[] };
  opportunity?: { name: string; amount: Money; expectedCloseDate?: string };
}

export interface LeadConversion {
  lead: Lead;
  customer: Customer;
  contact: Contact;
  opportunity?: Opportunity;
}

export async function convertLead(
  deps: CrmStoreDeps,
  scope: TenantScope,
  leadId: string,
  request: LeadConversionRequest,
): Promise<LeadConversion> {
  return deps.db.transaction().execute(async (trx) => {
    const tx: CrmStoreDeps = { ...deps, db: trx };
    const now = deps.clock.now().toISOString();
    const moved = await trx
      .updateTable('leads')
      .set({ status: 'converted', converted_at: now, updated_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', leadId)
      .where('status', '=', 'qualified')
      .executeTakeFirst();
    const lead = await findLeadRow(tx, scope, leadId);
    if (!lead) throw notFound('lead', leadId);
    if (Number(moved.numUpdatedRows) === 0) throw notConvertible(leadId, lead.status as LeadStatus);

    const kind = request.customer?.kind ?? (lead.company_name ? 'organization' : 'person');
    const customer = await createCustomer(tx, scope, {
      kind,
      name: request.customer?.name ?? lead.company_name ?? lead.name,
      // An organisation's own email and phone are not the lead's personal ones; those go on the contact.
      ...(kind === 'person' && lead.email !== null ? { email: lead.email } : {}),
      ...(kind === 'person' && lead.phone !== null ? { phone: lead.phone } : {}),
      lifecycleStage: 'prospect',
      tags: request.customer?.tags ?? [],
    });
    const contact = await insertContact(tx, scope, customer.id, {
      name: lead.name,
      ...(lead.title !== null ? { title: lead.title } : {}),
      ...(lead.email !== null ? { email: lead.email } : {}),
      ...(lead.phone !== null ? { phone: lead.phone } : {}),
      ...(lead.wechat_id !== null ? { wechatId: lead.wechat_id } : {}),
      isPrimary: true,
    });
    const opportunity = request.opportunity
      ? await insertOpportunity(
          tx,
          scope,
          {
            customerId: customer.id,
            contactId: contact.id,
            name: request.opportunity.name,
            amount: request.opportunity.amount,
            ...(request.opportunity.expectedCloseDate
              ? { expectedCloseDate: request.opportunity.expectedCloseDate }
              : {}),
          },
          leadId,
        )
      : undefined;

    const links = {
      converted_customer_id: customer.id,
      converted_contact_id: contact.id,
      converted_opportunity_id: opportunity?.id ?? null,
    };
    await trx
      .updateTable('leads')
      .set(links)
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', leadId)
      .execute();
    return {
      lead: toLead({ ...lead, ...links }),
      customer,
      contact,
      ...(opportunity ? { opportunity } : {}),
    };
  });
}

function notConvertible(leadId: string, status: LeadStatus): ProblemError {
  const detail =
    status === 'converted'
      ? `Lead '${leadId}' was already converted.`
      : `Only a qualified lead can be converted; lead '${leadId}' is ${status}.`;
  return new ProblemError('invalid_transition', detail, { extensions: { currentStatus: status } });
}
