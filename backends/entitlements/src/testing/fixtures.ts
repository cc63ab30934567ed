// Builders the entitlements tests share: catalogue items, an active package, a grant — each made through the API,
// so that fixtures obey the same rules as callers do.
import { createIdGenerator } from '../../../../internal/src/ids';
import type { ContractClient } from '../../../../internal/src/testing/contract-client';

const ids = createIdGenerator();

/** A CRM-style customer id (the entitlement service only stores it). */
export function customerId(): string {
  return ids('cus');
}

/** An Orders-style order id. */
export function orderId(): string {
  return ids('ord');
}

let skuCounter = 0;

export async function createService(
  client: ContractClient,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  const res = await client.call('createItem', {
    body: {
      type: 'service',
      name: 'Family doctor consultation',
      category: 'family_doctor',
      unit: 'session',
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`createItem: ${res.status} ${res.text}`);
  return res.body;
}

export async function createGoods(
  client: ContractClient,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  skuCounter += 1;
  const res = await client.call('createItem', {
    body: {
      type: 'goods',
      name: 'Upper-arm blood pressure monitor',
      category: 'medical_device',
      unit: 'piece',
      sku: `BPM-${process.pid}-${skuCounter}`,
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`createItem: ${res.status} ${res.text}`);
  return res.body;
}

/** A package body with the given items (itemId → quantity) and a rolling validity. */
export function packageBody(
  items: Array<{ itemId: string; quantity: number }>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'Family Care Annual',
    items,
    price: { amount: 299900, currency: 'CNY' },
    validity: { kind: 'rolling', days: 365 },
    ...overrides,
  };
}

export async function createActivePackage(
  client: ContractClient,
  items: Array<{ itemId: string; quantity: number }>,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  const created = await client.call('createPackage', { body: packageBody(items, overrides) });
  if (created.status !== 201) throw new Error(`createPackage: ${created.status} ${created.text}`);
  const active = await client.call('activatePackage', { params: { packageId: created.body.id } });
  if (active.status !== 200) throw new Error(`activatePackage: ${active.status} ${active.text}`);
  return active.body;
}

/** One service item with `quantity` units in an active package, granted to a new customer. */
export async function grantOfOneItem(
  client: ContractClient,
  quantity: number,
  packageOverrides: Record<string, unknown> = {},
): Promise<{ grant: any; itemId: string; packageId: string }> {
  const item = await createService(client);
  const pkg = await createActivePackage(client, [{ itemId: item.id, quantity }], packageOverrides);
  const res = await client.call('createGrant', { body: { customerId: customerId(), packageId: pkg.id } });
  if (res.status !== 201) throw new Error(`createGrant: ${res.status} ${res.text}`);
  return { grant: res.body, itemId: item.id, packageId: pkg.id };
}
