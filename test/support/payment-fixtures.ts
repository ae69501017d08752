import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { customerToItem, invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import type { TestStore } from './emulators.ts';
import { openInvoice } from './ledger-fixtures.ts';

/** Invoices, customers and signed webhook deliveries for the payment tests. */
export const anInvoice = (overrides: Partial<Invoice> = {}): Invoice =>
  openInvoice({
    invoiceId: 'INV-1',
    invoiceNumber: 'INV-1',
    customerId: 'C-1',
    currency: 'USD',
    amountDue: 10_000,
    issueDate: '2030-01-01',
    dueDate: '2030-01-31',
    nextActionAt: '2030-01-28T05:00:00.000Z',
    ...overrides,
  });

export const aCustomer = (overrides: Partial<Customer> = {}): Customer => ({
  customerId: 'C-1',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  locale: 'en-US',
  timeZone: 'America/New_York',
  status: 'active',
  ...overrides,
});

export const seedInvoice = async (store: TestStore, invoice: Invoice, customer = aCustomer()) => {
  await store.documentClient.send(
    new PutCommand({ TableName: store.tableName, Item: customerToItem(customer) }),
  );
  await store.documentClient.send(
    new PutCommand({ TableName: store.tableName, Item: invoiceToItem(invoice) }),
  );
};

export const testSecrets = () => ({
  stripe: `whsec_${randomBytes(24).toString('hex')}`,
  payments: `whsec_${randomBytes(32).toString('base64')}`,
});

export const nextId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

/** A Stripe event body as Stripe sends it, with the fields the receiver reads. */
export const stripeEventBody = (
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; previousAttributes?: Record<string, unknown> } = {},
) =>
  JSON.stringify({
    id: options.id ?? nextId('evt'),
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    data: {
      object,
      ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
    },
  });

/** Signed with Stripe's own test header generator. */
export const stripeHeaders = (
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
) => ({
  'content-type': 'application/json',
  'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
});

export const standardBody = (
  type: 'payment.succeeded' | 'payment.refunded',
  data: { invoiceId: string; amount: number; currency?: string; paymentId?: string },
) =>
  JSON.stringify({
    type,
    data: {
      paymentId: data.paymentId ?? nextId('pay'),
      currency: 'USD',
      occurredAt: new Date().toISOString(),
      ...data,
    },
  });

/** Signed with the `standardwebhooks` signer. */
export const standardHeaders = (
  payload: string,
  secret: string,
  options: { id?: string; at?: Date } = {},
) => {
  const id = options.id ?? nextId('msg');
  const at = options.at ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, payload),
  };
};
