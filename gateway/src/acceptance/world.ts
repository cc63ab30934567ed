// The records a valid request needs, made through the gateway itself with the matrix's main credential (a
// customer to read, a paid order to refund, a suspended grant to resume …). Every call must succeed with the
// operation's documented status; each is admitted in the client's ledger, since a backend receives it too.
import type { RouteOperation } from '../routes';
import type { TestCredential } from '../testing/test-platform';
import type { MatrixClient } from './matrix-client';
import type { OperationRequestDoc } from './request-examples';
import { withRealIds } from './request-examples';

type Json = Record<string, unknown>;

export class World {
  private count = 0;
  private sharedCustomer: Promise<string> | undefined;
  private sharedItem: Promise<string> | undefined;
  private sharedPackage: Promise<string> | undefined;

  constructor(
    private readonly client: MatrixClient,
    private readonly operations: ReadonlyMap<string, RouteOperation>,
    private readonly docs: ReadonlyMap<string, OperationRequestDoc>,
    private readonly caller: TestCredential,
  ) {}

  /** Calls an operation as the main caller; anything but its documented success status is an error. */
  async call(operationId: string, params: Record<string, string> = {}, body?: unknown): Promise<Json> {
    const operation = this.operations.get(operationId);
    const doc = this.docs.get(operationId);
    if (!operation || !doc) throw new Error(`no operation ${operationId}`);
    const response = await this.client.send(operationId, {
      method: operation.method,
      target: expandPath(operation, params),
      headers: { authorization: `Bearer ${this.caller.apiKey}` },
      body,
    });
    if (response.status !== doc.successStatus) {
      throw new Error(`setup ${operationId} answered ${response.status}: ${response.text}`);
    }
    this.client.admit(operationId, response, this.caller);
    return (response.json ?? {}) as Json;
  }

  private name(what: string): string {
    this.count += 1;
    return `Acceptance ${what} ${this.count}`;
  }

  async customer(): Promise<string> {
    return id(await this.call('createCustomer', {}, { kind: 'organization', name: this.name('customer') }));
  }

  /** A customer that other records refer to and that no scenario changes. */
  referenceCustomer(): Promise<string> {
    this.sharedCustomer ??= this.customer();
    return this.sharedCustomer;
  }

  async contact(customerId: string): Promise<string> {
    return id(await this.call('createContact', { customerId }, { name: this.name('contact') }));
  }

  async lead(status: 'new' | 'qualified' = 'new'): Promise<string> {
    const leadId = id(await this.call('createLead', {}, { source: 'website', name: this.name('lead') }));
    if (status === 'qualified') {
      await this.call('updateLead', { leadId }, { status: 'contacted' });
      await this.call('updateLead', { leadId }, { status: 'qualified' });
    }
    return leadId;
  }

  async opportunity(customerId: string): Promise<string> {
    const body = { customerId, name: this.name('opportunity'), amount: { amount: 100_000, currency: 'CNY' } };
    return id(await this.call('createOpportunity', {}, body));
  }

  async activity(customerId: string, type: 'call' | 'follow_up' = 'call'): Promise<string> {
    const body =
      type === 'follow_up'
        ? {
            customerId,
            type,
            subject: this.name('follow-up'),
            dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          }
        : { customerId, type, subject: this.name('call') };
    return id(await this.call('createActivity', {}, body));
  }

  async item(): Promise<string> {
    const body = { type: 'service', name: this.name('item'), category: 'consultation', unit: 'session' };
    return id(await this.call('createItem', {}, body));
  }

  /** An item of referencePackage(): every grant of that package can redeem it. */
  referenceItem(): Promise<string> {
    this.sharedItem ??= this.item();
    return this.sharedItem;
  }

  async package(status: 'draft' | 'active', itemId?: string): Promise<string> {
    const body = {
      name: this.name('package'),
      items: [{ itemId: itemId ?? (await this.item()), quantity: 12 }],
      price: { amount: 99_900, currency: 'CNY' },
      validity: { kind: 'rolling', days: 365 },
    };
    const packageId = id(await this.call('createPackage', {}, body));
    if (status === 'active') await this.call('activatePackage', { packageId });
    return packageId;
  }

  /** An active package holding referenceItem(), granted by every grant scenario and named by orders. */
  referencePackage(): Promise<string> {
    this.sharedPackage ??= (async () => this.package('active', await this.referenceItem()))();
    return this.sharedPackage;
  }

  /** An order made from the spec's own createOrder example (goods and a service line, shipping, a discount). */
  async order(status: 'pending' | 'paid' | 'fulfilling' = 'pending'): Promise<Json> {
    const example = this.docs.get('createOrder')?.bodyExample;
    const ids = { cus: await this.referenceCustomer(), pkg: await this.referencePackage() };
    let order = await this.call('createOrder', {}, withRealIds(example, ids));
    if (status === 'paid' || status === 'fulfilling') await this.pay(id(order), order);
    if (status === 'fulfilling') order = await this.call('startFulfillment', { orderId: id(order) });
    return order;
  }

  /** Pays the whole outstanding total (the backend takes no partial payments). */
  async pay(orderId: string, order: Json): Promise<Json> {
    const amount = (order.totals as Json).total;
    return this.call('payOrder', { orderId }, { method: 'wechat_pay', amount });
  }

  async refund(orderId: string): Promise<string> {
    const body = { amount: { amount: 100, currency: 'CNY' }, reason: 'Acceptance refund' };
    return id(await this.call('refundOrder', { orderId }, body));
  }

  async grant(status: 'active' | 'suspended' = 'active'): Promise<string> {
    const body = { customerId: await this.referenceCustomer(), packageId: await this.referencePackage() };
    const grantId = id(await this.call('createGrant', {}, body));
    if (status === 'suspended') await this.call('suspendGrant', { grantId }, { reason: 'Acceptance' });
    return grantId;
  }

  async redemption(grantId: string): Promise<string> {
    const body = { itemId: await this.referenceItem(), quantity: 1 };
    return id(await this.call('createRedemption', { grantId }, body));
  }
}

/** `/crm/v1/customers/{customerId}` with the params filled in (percent-encoded). */
export function expandPath(operation: RouteOperation, params: Readonly<Record<string, string>>): string {
  const filled = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operation.operationId}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return `${operation.basePath}${filled}`;
}

function id(record: Json): string {
  if (typeof record.id !== 'string') throw new Error(`no id in ${JSON.stringify(record)}`);
  return record.id;
}
