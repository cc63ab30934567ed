// How to make each public operation answer its documented 2xx: the state it needs (made through the gateway by the
// World), the path parameters, the real ids to put in place of the spec example's placeholders, and — rarely — a
// change to the example where it cannot hold at any time (a redemption dated in the future). The matrix refuses to
// run when an operation of the route table has no scenario here.
import type { World } from './world';

export interface Scenario {
  params?: Record<string, string>;
  /** Real ids for the body example's placeholder ids, by prefix (see withRealIds). */
  ids?: Record<string, string | string[]>;
  /** Adjusts the example body (after the ids are replaced). */
  body?: (example: Record<string, unknown>) => unknown;
}

type Build = (world: World) => Promise<Scenario>;

const none: Build = async () => ({});
const customer: Build = async (w) => ({ params: { customerId: await w.customer() } });
const contact: Build = async (w) => ({ params: { contactId: await w.contact(await w.customer()) } });
const lead: Build = async (w) => ({ params: { leadId: await w.lead() } });
const opportunity: Build = async (w) => ({
  params: { opportunityId: await w.opportunity(await w.customer()) },
});
const activity: Build = async (w) => ({ params: { activityId: await w.activity(await w.customer()) } });
const followUp: Build = async (w) => ({
  params: { activityId: await w.activity(await w.customer(), 'follow_up') },
});
const pendingOrder: Build = async (w) => ({ params: { orderId: String((await w.order()).id) } });
const paidOrder: Build = async (w) => ({ params: { orderId: String((await w.order('paid')).id) } });
const item: Build = async (w) => ({ params: { itemId: await w.item() } });
const draftPackage: Build = async (w) => ({ params: { packageId: await w.package('draft') } });
const grant: Build = async (w) => ({ params: { grantId: await w.grant() } });
const redemption: Build = async (w) => {
  const grantId = await w.grant();
  return { params: { grantId, redemptionId: await w.redemption(grantId) } };
};

export const SCENARIOS: Readonly<Record<string, Build>> = {
  // CRM
  listCustomers: none,
  createCustomer: none,
  getCustomer: customer,
  deleteCustomer: customer,
  updateCustomer: customer,
  listContacts: customer,
  createContact: customer,
  getContact: contact,
  deleteContact: contact,
  updateContact: contact,
  listLeads: none,
  createLead: none,
  getLead: lead,
  deleteLead: lead,
  updateLead: lead,
  // Only a qualified lead converts (new → contacted → qualified).
  convertLead: async (w) => ({ params: { leadId: await w.lead('qualified') } }),
  listOpportunities: none,
  createOpportunity: async (w) => {
    const customerId = await w.customer();
    return { ids: { cus: customerId, con: await w.contact(customerId) } };
  },
  getOpportunity: opportunity,
  deleteOpportunity: opportunity,
  updateOpportunity: opportunity,
  listActivities: none,
  createActivity: async (w) => {
    const customerId = await w.customer();
    const [contactId, opportunityId] = [await w.contact(customerId), await w.opportunity(customerId)];
    return { ids: { cus: customerId, con: contactId, opp: opportunityId } };
  },
  getActivity: activity,
  deleteActivity: activity,
  // The example moves a due time: only a follow-up has one, and only a follow-up can be completed.
  updateActivity: followUp,
  completeActivity: followUp,

  // Orders
  listOrders: none,
  createOrder: async (w) => ({ ids: { cus: await w.referenceCustomer(), pkg: await w.referencePackage() } }),
  getOrder: pendingOrder,
  updateOrder: pendingOrder,
  cancelOrder: pendingOrder,
  listOrderPayments: pendingOrder,
  listOrderRefunds: pendingOrder,
  // The amount must be the order's outstanding total; taken from the order rather than trusted from the example.
  payOrder: async (w) => {
    const order = await w.order();
    return {
      params: { orderId: String(order.id) },
      body: (example) => ({ ...example, amount: (order.totals as { total: unknown }).total }),
    };
  },
  startFulfillment: paidOrder,
  completeOrder: async (w) => ({ params: { orderId: String((await w.order('fulfilling')).id) } }),
  refundOrder: paidOrder,
  getPayment: async (w) => {
    const order = await w.order();
    const payment = await w.pay(String(order.id), order);
    return { params: { paymentId: String(payment.id) } };
  },
  getRefund: async (w) => {
    const orderId = String((await w.order('paid')).id);
    return { params: { refundId: await w.refund(orderId) } };
  },

  // Entitlements
  listItems: none,
  createItem: none,
  getItem: item,
  deleteItem: item,
  updateItem: item,
  deactivateItem: item,
  reactivateItem: async (w) => {
    const itemId = await w.item();
    await w.call('deactivateItem', { itemId });
    return { params: { itemId } };
  },
  listPackages: none,
  createPackage: async (w) => ({
    ids: { itm: [await w.item(), await w.item(), await w.item(), await w.item()] },
  }),
  getPackage: draftPackage,
  updatePackage: draftPackage,
  activatePackage: draftPackage,
  retirePackage: async (w) => ({ params: { packageId: await w.package('active') } }),
  listGrants: none,
  createGrant: async (w) => ({
    ids: {
      cus: await w.referenceCustomer(),
      pkg: await w.referencePackage(),
      ord: String((await w.order()).id),
    },
  }),
  getGrant: grant,
  suspendGrant: grant,
  resumeGrant: async (w) => ({ params: { grantId: await w.grant('suspended') } }),
  revokeGrant: grant,
  listGrantEvents: grant,
  listRedemptions: grant,
  // The example's occurredAt is a fixed date; a redemption may not lie in the future, so it is left to "now".
  createRedemption: async (w) => ({
    params: { grantId: await w.grant() },
    ids: { itm: await w.referenceItem() },
    body: ({ occurredAt: _dropped, ...rest }) => rest,
  }),
  getRedemption: redemption,
  reverseRedemption: redemption,
};
