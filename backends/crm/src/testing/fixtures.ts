// Test helpers that create CRM records through the API (never behind its back) and fail loudly when they cannot,
// so that each test states only what it is about.
import type { ContractClient } from '../../../../internal/src/testing/contract-client';

async function created(
  client: ContractClient,
  operationId: string,
  options: Parameters<ContractClient['call']>[1],
) {
  const res = await client.call(operationId, options);
  if (res.status !== 201) throw new Error(`${operationId} answered ${res.status}: ${res.text}`);
  return res.body;
}

export function newCustomer(client: ContractClient, body: Record<string, unknown> = {}) {
  return created(client, 'createCustomer', {
    body: { kind: 'organization', name: 'Sunrise Family Clinic', ...body },
  });
}

export function newContact(client: ContractClient, customerId: string, body: Record<string, unknown> = {}) {
  return created(client, 'createContact', { params: { customerId }, body: { name: 'Zhang Min', ...body } });
}

export function newLead(client: ContractClient, body: Record<string, unknown> = {}) {
  return created(client, 'createLead', {
    body: { source: 'wechat', name: 'Chen Jing', companyName: 'Kangning Pharmacy', ...body },
  });
}

export function newOpportunity(
  client: ContractClient,
  customerId: string,
  body: Record<string, unknown> = {},
) {
  return created(client, 'createOpportunity', {
    body: {
      customerId,
      name: 'Chronic-care packages',
      amount: { amount: 4_500_000, currency: 'CNY' },
      ...body,
    },
  });
}

export function newActivity(client: ContractClient, customerId: string, body: Record<string, unknown> = {}) {
  return created(client, 'createActivity', {
    body: { customerId, type: 'call', subject: 'Introductory call', ...body },
  });
}

/** A lead moved through new → contacted → qualified, ready to convert. */
export async function qualifiedLead(client: ContractClient, body: Record<string, unknown> = {}) {
  const lead = await newLead(client, body);
  for (const status of ['contacted', 'qualified']) {
    const res = await client.call('updateLead', { params: { leadId: lead.id }, body: { status } });
    if (res.status !== 200) throw new Error(`updateLead to ${status} answered ${res.status}: ${res.text}`);
  }
  return (await client.call('getLead', { params: { leadId: lead.id } })).body;
}

/** The ids of a list response. */
export function ids(res: { body: { data: Array<{ id: string }> } }): string[] {
  return res.body.data.map((r) => r.id);
}
