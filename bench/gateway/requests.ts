// The requests the gateway benchmarks send, valid under the public specs (the gateway validates before it forwards):
// ids match specs/common/schemas.yaml#/Id, which the peers' `cus_12345` does not.

/** A well-formed customer id (the spec's own example); peers.sh's upstream answers for any id. */
export const VALID_CUSTOMER_ID = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB';

/** POST /crm/v1/customers (specs/crm CustomerCreate). */
export const CREATE_CUSTOMER_BODY = {
  kind: 'organization',
  name: 'Sunrise Community Clinic',
  email: 'procurement@sunrise-clinic.example',
  phone: '+86 21 5555 0100',
};

/** POST /orders/v1/orders (specs/orders OrderCreate): one goods line, so a shipping address too. */
export const CREATE_ORDER_BODY = {
  customerId: VALID_CUSTOMER_ID,
  currency: 'CNY',
  items: [
    {
      type: 'goods',
      sku: 'sku-123',
      name: 'Omron U10 blood pressure monitor',
      quantity: 2,
      unitPrice: { amount: 29900, currency: 'CNY' },
    },
  ],
  shippingAddress: {
    recipient: 'Zhang Min',
    phone: '+86 21 5555 0100',
    line1: '88 Huaihai Middle Road',
    city: 'Shanghai',
    province: 'Shanghai',
    country: 'CN',
  },
};
