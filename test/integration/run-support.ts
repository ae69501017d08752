import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { customerToItem, invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { RunDeferrals } from '../../functions/shared/adapters/dynamodb/run-deferrals.ts';
import { createDunningRun, type RunWiring } from '../../functions/shared/composition/run-wiring.ts';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import type { Mailer, OutgoingEmail } from '../../functions/shared/domain/ports.ts';
import type { ReminderInput, RenderedReminder } from '../../functions/shared/domain/reminder/types.ts';
import { nextActionAt } from '../../functions/shared/domain/schedule.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import type { TestMailbox, TestStore } from '../support/emulators.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';

export const policy = loadPolicy();

/** An SES account for the emulator's GetAccount: a rate high enough that tests do not wait. */
export const SES_ACCOUNT = JSON.stringify({
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'tests',
    WebsiteURL: 'https://dunning.local',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: 500, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: [] },
});

export const customer = (id: string, overrides: Partial<Customer> = {}): Customer => ({
  customerId: id,
  name: `Customer ${id}`,
  email: `${id}@customer.example`,
  locale: 'en-US',
  timeZone: 'Europe/Berlin',
  status: 'active',
  ...overrides,
});

export const invoice = (id: string, customerId: string, overrides: Partial<Invoice> = {}): Invoice =>
  openInvoice({
    invoiceId: id,
    invoiceNumber: `N-${id}`,
    customerId,
    currency: 'EUR',
    amountDue: 120_00,
    dueDate: '2026-03-01',
    ...overrides,
  });

/** Writes customers and invoices as the importer would: each invoice placed in the due index. */
export const seed = async (
  store: TestStore,
  customers: readonly Customer[],
  invoices: readonly Invoice[],
) => {
  const zones = new Map(customers.map((who) => [who.customerId, who.timeZone]));
  for (const who of customers)
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: customerToItem(who) }),
    );
  for (const bill of invoices) {
    // A given nextActionAt wins: tests place invoices in the index that the schedule would have left out.
    const next = bill.nextActionAt
      ? new Date(bill.nextActionAt)
      : nextActionAt(bill, zones.get(bill.customerId) ?? 'UTC', policy);
    const item = invoiceToItem({ ...bill, ...(next ? { nextActionAt: next.toISOString() } : {}) });
    await store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: item }));
  }
};

/** A renderer that only lists the facts, so tests read back exactly what the run decided. */
export const factRenderer = (input: ReminderInput): RenderedReminder => {
  const facts = input.lines.map(
    (line) =>
      `${line.invoice.invoiceNumber}|${line.stage.name}|fee=${line.fee}|owed=${line.outstanding}|days=${line.daysOverdue}`,
  );
  return {
    subject: `Reminder ${input.lines.map((line) => line.invoice.invoiceNumber).join(', ')}`,
    html: `<ul>${facts.map((fact) => `<li>${fact}</li>`).join('')}</ul>`,
    text: facts.join('\n'),
    language: 'en',
  };
};

/** Applies a payment of the whole outstanding amount the way the payment recorder does: one conditional write. */
export const payInFull = async (store: TestStore, bill: Invoice) => {
  await store.documentClient.send(
    new UpdateCommand({
      TableName: store.tableName,
      Key: invoiceKey(bill.invoiceId),
      UpdateExpression:
        'SET amountReceived = :all, #status = :paid, version = version + :one REMOVE dueShard, dueAt, nextActionAt',
      ConditionExpression: 'version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':all': bill.amountDue + bill.feesCharged - bill.amountPaid,
        ':paid': 'paid',
        ':one': 1,
        ':version': bill.version,
      },
    }),
  );
};

export const settings = {
  businessHours: parseBusinessHours('Mon-Fri 09:00-17:00'),
  deploymentTimeZone: 'UTC',
  paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}',
  from: 'Accounts Receivable <billing@dunning.local>',
  publicUrl: 'https://dunning.example',
};

/** The run wired to the test's emulators, with the store-backed deferrals of the local stack. */
export const buildRun = (
  store: TestStore,
  mailbox: Pick<TestMailbox, 'endpoint'>,
  overrides: Partial<RunWiring> = {},
) => {
  const deferrals = new RunDeferrals(store.documentClient, store.tableName);
  const built = createDunningRun({
    documentClient: store.documentClient,
    tableName: store.tableName,
    sesEndpoint: mailbox.endpoint,
    policy,
    settings,
    render: factRenderer,
    ...overrides,
  });
  return { ...built, deferrals };
};

/** Records what the run sends; the provider's side is not what these cases are about. */
export const recordingMailer = () => {
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = {
    send: async (email) => {
      sent.push(email);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mailer, sent };
};
