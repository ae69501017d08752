import { describe, expect, it } from 'vitest';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { renderReminder } from '../../functions/shared/domain/reminder/render.ts';
import type { RunDependencies } from '../../functions/shared/domain/run/dependencies.ts';
import { type InvoicePreview, InvoicePreviewer } from '../../functions/shared/domain/run/invoice-preview.ts';
import type { RunLedger } from '../../functions/shared/domain/run/ports.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import {
  customer,
  invoice,
  NOW,
  PAYMENT_URL_TEMPLATE,
  policy,
  templates,
  UNSUBSCRIBE_URL,
} from './reminder-fixtures.ts';

const RESPOND_URL = 'https://dunning.example/respond?token=t';

/** A store that can only be read: any write the preview attempted would fail the test. */
const readOnlyLedger = (invoices: readonly Invoice[], customers: readonly Customer[]): RunLedger => {
  const refuse = async (): Promise<never> => {
    throw new Error('the preview wrote to the store');
  };
  const byId = new Map(invoices.map((entry) => [entry.invoiceId, entry]));
  return {
    dueInvoices: async () => [...invoices],
    customerDueInvoices: async (customerId) => invoices.filter((entry) => entry.customerId === customerId),
    readInvoices: async (ids) => ids.flatMap((id) => byId.get(id) ?? []),
    readInvoice: async (id) => byId.get(id),
    readCustomers: async (ids) =>
      new Map(customers.filter((entry) => ids.includes(entry.customerId)).map((c) => [c.customerId, c])),
    claimStage: refuse,
    recordSent: refuse,
    recordFailed: refuse,
    releaseClaim: refuse,
    markUnknown: refuse,
    recordSkip: refuse,
    recordFailure: refuse,
    reindex: refuse,
    claimCustomer: refuse,
    releaseCustomer: refuse,
    claimDigest: refuse,
  };
};

const previewer = (invoices: readonly Invoice[], customers: readonly Customer[] = [customer()]) => {
  const refuse = async (): Promise<never> => {
    throw new Error('the preview sent or scheduled something');
  };
  const deps: RunDependencies = {
    ledger: readOnlyLedger(invoices, customers),
    mailer: { send: refuse },
    scheduler: { defer: refuse },
    checkpoints: { save: refuse, load: refuse },
    journal: { begin: refuse, end: refuse },
    policy,
    businessHours: parseBusinessHours('Mon-Fri 09:00-17:00'),
    deploymentTimeZone: 'UTC',
    paymentUrlTemplate: PAYMENT_URL_TEMPLATE,
    render: (input) => renderReminder(input, templates),
    unsubscribeUrl: () => UNSUBSCRIBE_URL,
    answerUrl: () => RESPOND_URL,
    clock: () => NOW,
    newRunId: () => 'run-preview',
  };
  return new InvoicePreviewer(deps, (email) => `"${email.fromName}" <billing@northwind.example>`);
};

const email = (preview: InvoicePreview) => {
  if (preview.kind !== 'email') throw new Error(`nothing rendered: ${preview.explanation}`);
  return preview;
};

describe('Invoice preview', () => {
  // On NOW (20 March, Friday 11:00 in Berlin): INV-1 is 14 days overdue ("second"), INV-2 2 days ("first").
  const invoices = [
    invoice({ invoiceId: 'INV-1', invoiceNumber: 'INV-1042', dueDate: '2026-03-06' }),
    invoice({ invoiceId: 'INV-2', invoiceNumber: 'INV-1077', dueDate: '2026-03-18' }),
  ];

  it('shows the one email the customer gets in the run, with every invoice the run groups in it', async () => {
    const preview = previewer(invoices);

    const first = email(await preview.preview({ invoiceId: 'INV-1', asOf: NOW }));
    const second = email(await preview.preview({ invoiceId: 'INV-2', asOf: NOW }));

    expect(first.email).toEqual(second.email);
    expect(first.invoices.map((line) => [line.invoiceId, line.stage])).toEqual([
      ['INV-1', 'second'],
      ['INV-2', 'first'],
    ]);
    expect([first.stage.name, second.stage.name]).toEqual(['second', 'first']);
    expect(first.email.subject).toContain('INV-1042');
    expect(first.email.subject).toContain('INV-1077');
    expect(first.email.text).toContain(RESPOND_URL);
    expect(first.email).toMatchObject({
      to: 'ap@acme.example',
      replyTo: 'accounts@northwind.example',
      headers: { 'List-Unsubscribe': `<${UNSUBSCRIBE_URL}>` },
    });
    expect(first.from).toBe('"Northwind Supplies Ltd" <billing@northwind.example>');
    expect(first.chosen).toBe(false);
  });

  it('shows the deferral and its opening when the run falls outside business hours', async () => {
    // Saturday 21 March, 11:00 in Berlin: the run defers to Monday 09:00 there.
    const saturday = new Date('2026-03-21T10:00:00Z');

    const preview = email(await previewer(invoices).preview({ invoiceId: 'INV-2', asOf: saturday }));

    expect(preview.deferredUntil).toBe('2026-03-23T08:00:00.000Z');
    expect(preview.invoices).toHaveLength(2);
  });

  it("gives the run's own reason for an invoice its plan leaves out: the minimum gap", async () => {
    const reminded = customer({ lastReminderAt: '2026-03-19T10:00:00.000Z' });

    const preview = await previewer(invoices, [reminded]).preview({ invoiceId: 'INV-1', asOf: NOW });

    expect(preview).toMatchObject({
      kind: 'nothing',
      reason: 'min_gap',
      explanation: expect.stringContaining('minimum gap of 3 days'),
    });
  });

  it("names the customer's email when this invoice is not in it", async () => {
    const early = invoice({ invoiceId: 'INV-3', invoiceNumber: 'INV-2001', dueDate: '2026-04-30' });

    const preview = await previewer([...invoices, early]).preview({ invoiceId: 'INV-3', asOf: NOW });

    expect(preview).toMatchObject({
      kind: 'nothing',
      reason: 'not_due',
      customerEmail: { invoices: [{ invoiceId: 'INV-1' }, { invoiceId: 'INV-2' }] },
    });
  });

  it.each([
    ['paid in full', { amountPaid: 123450, status: 'paid' as const }, {}, 'paid', 'paid in full'],
    [
      'held for a currency mismatch',
      { flags: ['currency_mismatch'] },
      {},
      'currency_mismatch',
      'another currency',
    ],
    ['handed off', { status: 'handed_off' as const }, {}, 'handed_off', 'Collections desk'],
    ['not due yet', { dueDate: '2026-04-30' }, {}, 'not_due', '"courtesy", is due on 2026-04-27'],
    ['of a paused customer', {}, { pausedUntil: '2026-04-01' }, 'paused', 'paused until 2026-04-01'],
  ])('says why an invoice %s would get nothing, instead of rendering it', async (_, over, who, reason, words) => {
    const preview = await previewer([invoice(over)], [customer(who)]).preview({
      invoiceId: 'inv-1042',
      asOf: NOW,
    });

    expect(preview).toMatchObject({ kind: 'nothing', reason, explanation: expect.stringContaining(words) });
  });

  it("gives the day the policy's gap lets the next stage go out, as the email just sent says", async () => {
    const sentAt = '2026-03-20T09:00:00Z';
    const justReminded = invoice({
      dueDate: '2026-03-20',
      claims: { courtesy: { stage: 'courtesy', status: 'sent', claimedAt: sentAt, runId: 'r-1', sentAt } },
    });
    const preview = await previewer([justReminded], [customer({ lastReminderAt: sentAt })]).preview({
      invoiceId: 'inv-1042',
      asOf: NOW,
    });

    expect(preview).toMatchObject({
      kind: 'nothing',
      reason: 'not_due',
      explanation:
        'no stage is due yet: the next, "first", is due on 2026-03-21; ' +
        "the policy's minimum gap of 3 days after the last reminder holds it until 2026-03-23",
    });
  });

  it('renders a named stage for the invoice alone, even before it is due, never for nothing owed', async () => {
    const early = await previewer([invoice({ dueDate: '2026-04-30' })]).preview({
      invoiceId: 'inv-1042',
      asOf: NOW,
      stageName: 'final',
    });
    const paid = await previewer([invoice({ amountPaid: 123450, status: 'paid' })]).preview({
      invoiceId: 'inv-1042',
      asOf: NOW,
      stageName: 'final',
    });

    expect(email(early)).toMatchObject({ chosen: true, stage: { name: 'final' } });
    expect(email(early).email.subject).toMatch(/^Final notice: invoice INV-1042/);
    expect(paid).toMatchObject({ kind: 'nothing', reason: 'paid' });
  });

  it('names an unknown invoice, and an unknown stage with the ones the policy has', async () => {
    await expect(previewer(invoices).preview({ invoiceId: 'INV-9', asOf: NOW })).rejects.toThrowError(
      'Invoice "INV-9" not found.',
    );
    await expect(
      previewer(invoices).preview({ invoiceId: 'INV-1', asOf: NOW, stageName: 'fourth' }),
    ).rejects.toThrowError(
      new UserInputError(
        'Unknown stage "fourth"; the policy\'s stages are: courtesy, first, second, third, final.',
      ),
    );
  });
});
