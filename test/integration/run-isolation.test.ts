import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import type { TestMailbox, TestStore } from '../support/emulators.ts';
import { startTestMailbox, startTestStore } from '../support/emulators.ts';
import { buildRun, customer, factRenderer, invoice, SES_ACCOUNT, seed } from './run-support.ts';

// A Tuesday, 13:00 in Berlin: inside business hours for the default customers.
const asOf = new Date('2026-03-10T12:00:00Z');

/**
 * One customer that cannot be worked (their email does not render, the store fails on them) must not
 * stop the run: everyone else gets their email once, the failure is recorded on that customer's
 * invoices with its reason and counted, and nothing is left claimed or flagged `unknown`.
 */
describe('A run with one failing customer', () => {
  let mailbox: TestMailbox;
  let store: TestStore;

  beforeAll(async () => {
    mailbox = await startTestMailbox({ account: SES_ACCOUNT });
  });
  afterAll(async () => {
    await mailbox.stop();
  });
  beforeEach(async () => {
    store = await startTestStore();
    await mailbox.clear();
    await seed(
      store,
      [customer('c1'), customer('c2'), customer('c3')],
      [invoice('a1', 'c1'), invoice('b1', 'c2'), invoice('b2', 'c2'), invoice('d1', 'c3')],
    );
  });
  afterEach(() => store.stop());

  const audit = (invoiceId: string) => readInvoiceAudit(store.documentClient, store.tableName, invoiceId);
  const recipients = async () => (await mailbox.emails()).flatMap((email) => email.destination.to).sort();

  const throwingFor: typeof factRenderer = (input) => {
    if (input.customer.customerId === 'c2')
      throw new Error('template reminder.html: unclosed section "lines"');
    return factRenderer(input);
  };

  it('fails the customer whose email does not render, sends the others, claims nothing', async () => {
    const { run, close } = buildRun(store, mailbox, { render: throwingFor });
    const outcome = await run.run({ asOf });
    close();

    expect(outcome.summary).toMatchObject({ considered: 4, sent: 2, emails: 2, failed: 2 });
    expect(outcome.summary.skipped.unknown_outcome).toBe(0);
    expect(await recipients()).toEqual(['c1@customer.example', 'c3@customer.example']);
    expect(outcome.failures).toEqual([
      {
        runId: outcome.runId,
        customerId: 'c2',
        invoiceIds: ['b1', 'b2'],
        reason: 'Error: template reminder.html: unclosed section "lines"',
      },
    ]);
    for (const id of ['b1', 'b2']) {
      const trail = await audit(id);
      expect(trail?.invoice.claims).toEqual({});
      expect(trail?.invoice.feesCharged).toBe(0);
      expect(trail?.skips).toEqual([
        expect.objectContaining({
          reason: 'failed',
          detail: 'Error: template reminder.html: unclosed section "lines"',
        }),
      ]);
    }
    // The customer's gap was never taken: once the template is fixed, the next run reminds them.
    const fixed = buildRun(store, mailbox);
    const retry = await fixed.run.run({ asOf });
    fixed.close();
    expect(retry.summary).toMatchObject({ sent: 2, emails: 1, failed: 0 });
    expect(await recipients()).toEqual(['c1@customer.example', 'c2@customer.example', 'c3@customer.example']);
  });

  it('shows the same failure in a dry run, writing nothing', async () => {
    const { run, close } = buildRun(store, mailbox, { render: throwingFor });
    const outcome = await run.run({ asOf, dryRun: true });
    close();
    expect(outcome.summary).toMatchObject({ sent: 2, emails: 2, failed: 2 });
    expect(outcome.outgoing.map((email) => [email.customerId, email.subject])).toEqual([
      ['c1', 'Reminder N-a1'],
      ['c3', 'Reminder N-d1'],
    ]);
    expect((await audit('b1'))?.skips).toEqual([]);
    expect(await recipients()).toEqual([]);
  });

  it('fails the customer the store errors on, goes on to the next, and works them last next time', async () => {
    const client = createDynamoClient(store.endpoint);
    let failing = true;
    const order: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        // Document-client commands reach this step before they are marshalled: plain values.
        const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
        const pk = input.Key?.pk;
        if (pk?.startsWith('CUSTOMER#') && input.UpdateExpression?.includes('lastReminderAt = :at')) {
          order.push(pk);
          if (failing && pk === 'CUSTOMER#c1')
            throw Object.assign(new Error('Internal server error'), {
              name: 'InternalServerError',
              $metadata: { httpStatusCode: 500 },
            });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failOneCustomer' },
    );
    const documentClient = createDocumentClient(client);
    const { run, close } = buildRun({ ...store, documentClient }, mailbox, { concurrency: 1 });
    const outcome = await run.run({ asOf });

    expect(outcome.summary).toMatchObject({ considered: 4, sent: 3, emails: 2, failed: 1 });
    expect(outcome.failures).toEqual([
      expect.objectContaining({
        customerId: 'c1',
        invoiceIds: ['a1'],
        reason: 'InternalServerError: Internal server error',
      }),
    ]);
    expect(await recipients()).toEqual(['c2@customer.example', 'c3@customer.example']);
    const a1 = await audit('a1');
    expect(a1?.invoice.claims).toEqual({});
    expect(a1?.invoice.lastFailedAt).toEqual(expect.any(String));
    expect(a1?.skips.map((skip) => skip.reason)).toEqual(['failed']);

    // The next attempt takes c9 before c1, whom it works last; now c1's email goes.
    failing = false;
    order.length = 0;
    await seed(store, [], [invoice('e1', 'c9', { dueDate: '2026-03-01' })]);
    await seed(store, [customer('c9')], []);
    const again = await run.run({ asOf: new Date('2026-03-10T12:30:00Z') });
    close();
    client.destroy();
    expect(order).toEqual(['CUSTOMER#c9', 'CUSTOMER#c1']);
    expect(again.summary).toMatchObject({ sent: 2, failed: 0 });
    expect(await recipients()).toEqual([
      'c1@customer.example',
      'c2@customer.example',
      'c3@customer.example',
      'c9@customer.example',
    ]);
  });
});
