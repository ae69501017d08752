import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailEventReceiver } from '../../functions/mail-events/receive.ts';
import { createOptOutReceiver } from '../../functions/payment/opt-out.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { wireCustomerCare } from '../../functions/shared/composition/customer-care.ts';
import { addDays, startOfLocalDay } from '../../functions/shared/domain/calendar.ts';
import type { CustomerCare } from '../../functions/shared/domain/customer-care/ports.ts';
import { showDocument } from '../../functions/shared/domain/run/audit.ts';
import { NotFoundError } from '../../functions/shared/errors.ts';
import type { SentEmail, TestMailbox, TestStore } from '../support/emulators.ts';
import { startTestMailbox, startTestStore } from '../support/emulators.ts';
import { indexEmails, sesEvent } from './care-support.ts';
import { buildRun, customer, invoice, policy, SES_ACCOUNT, seed, settings } from './run-support.ts';

// Tuesday 2026-03-10, 13:00 in Berlin: every invoice due 2026-03-01 has its first stage due.
const firstRun = new Date('2026-03-10T12:00:00Z');
const secondRun = new Date('2026-03-11T12:00:00Z');
const OPT_OUT_SECRET = 'test-opt-out-secret-0123456789abcdef';
const silent = { info: () => {}, warn: () => {} };

/** The run reports every known reason, most at 0. */
const counted = (skipped: Record<string, number>) =>
  Object.fromEntries(Object.entries(skipped).filter(([, count]) => count > 0));

type MailWithHeaders = SentEmail & { headers?: { name: string; value: string }[] };

describe('Customer care and the next dunning run', () => {
  let store: TestStore;
  let mailbox: TestMailbox;
  let care: CustomerCare;
  const people = ['control', 'paused', 'disputed', 'optedOut', 'bounced', 'softBounced'].map((id) =>
    customer(id),
  );

  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
    care = wireCustomerCare({
      client: store.documentClient,
      tableName: store.tableName,
      policy,
      defaultTimeZone: 'UTC',
      clock: () => new Date('2026-03-09T10:00:00Z'),
    });
    await seed(
      store,
      people,
      people.map((who) => invoice(`inv-${who.customerId}`, who.customerId, { dueDate: '2026-03-01' })),
    );
    await indexEmails(store, people);
  });
  afterAll(async () => {
    await Promise.all([store?.stop(), mailbox?.stop()]);
  });

  const runAt = async (asOf: Date) => {
    const { run, close } = buildRun(store, mailbox, {
      settings: { ...settings, optOutSecret: OPT_OUT_SECRET },
    });
    try {
      return (await run.run({ asOf })).summary;
    } finally {
      close();
    }
  };
  const show = async (invoiceId: string) =>
    showDocument((await readInvoiceAudit(store.documentClient, store.tableName, invoiceId)) as never);

  it('skips a paused customer, a disputed invoice, an opted-out and a hard-bounced customer, each under its reason', async () => {
    const optOut = createOptOutReceiver({
      secret: async () => OPT_OUT_SECRET,
      companyName: 'Northwind Supplies Ltd',
      care,
      logger: silent,
    });
    const mailEvents = createMailEventReceiver({ care, logger: silent });
    const { optOutToken } = await import('../../functions/shared/domain/customer-care/opt-out-token.ts');

    await care.pause({ customerId: 'paused', until: '2026-03-20', reason: 'promise to pay' });
    await care.dispute('inv-disputed', 'goods never arrived');
    const click = await optOut({
      method: 'POST',
      query: `?customer=optedOut&token=${optOutToken(OPT_OUT_SECRET, 'optedOut')}`,
      rawBody: Buffer.from('List-Unsubscribe=One-Click'),
    });
    const hard = await mailEvents(sesEvent('Permanent', 'Bounced@Customer.example'));
    const soft = await mailEvents(sesEvent('Transient', 'softBounced@customer.example'));

    const summary = await runAt(firstRun);

    expect(click.status).toBe(200);
    expect(hard).toMatchObject({
      accepted: true,
      recipients: [{ action: 'bounced', customers: [{ customerId: 'bounced', outcome: 'changed' }] }],
    });
    expect(soft).toMatchObject({
      accepted: true,
      recipients: [
        { action: 'soft_bounced', customers: [{ customerId: 'softBounced', outcome: 'unchanged' }] },
      ],
    });
    expect(counted(summary.skipped)).toEqual({ paused: 1, disputed: 1, opted_out: 1, bounced: 1 });
    expect(summary.sent).toBe(2);
    const recipients = (await mailbox.emails()).map((email) => email.destination.to[0]).sort();
    expect(recipients).toEqual(['control@customer.example', 'softBounced@customer.example']);
  });

  it('shows each skip, the customer standing and the care record in the audit trail', async () => {
    const paused = await show('inv-paused');
    const bounced = await show('inv-bounced');
    const disputed = await show('inv-disputed');
    const soft = await show('inv-softBounced');

    expect(paused.customer).toMatchObject({
      status: 'active',
      pausedUntil: '2026-03-20',
      pauseReason: 'promise to pay',
    });
    expect(paused.skips.map((skip) => skip.reason)).toEqual(['paused']);
    expect(paused.care).toEqual([
      expect.objectContaining({
        action: 'paused',
        by: 'operator',
        until: '2026-03-20',
        reason: 'promise to pay',
      }),
    ]);
    expect(bounced.customer?.status).toBe('bounced');
    expect(bounced.care).toEqual([
      expect.objectContaining({ action: 'bounced', by: 'mail', reason: 'Permanent bounce (General)' }),
    ]);
    expect(disputed.invoice.flags).toEqual(['disputed']);
    expect(disputed.skips.map((skip) => skip.reason)).toEqual(['disputed']);
    expect(disputed.care).toEqual([
      expect.objectContaining({
        action: 'disputed',
        invoiceId: 'inv-disputed',
        reason: 'goods never arrived',
      }),
    ]);
    expect(soft.customer?.status).toBe('active');
    expect(soft.care).toEqual([expect.objectContaining({ action: 'soft_bounced', by: 'mail' })]);
    expect(soft.reminders).toHaveLength(1);
  });

  it('reminds them all again after resume and undispute', async () => {
    await mailbox.clear();
    for (const id of ['paused', 'optedOut', 'bounced']) await care.resume(id, 'customer called');
    const undisputed = await care.undispute('inv-disputed', 'resolved');

    const summary = await runAt(secondRun);

    // Back in the due index on the day its first stage fell due, so this run reached it.
    const firstStageDay = startOfLocalDay(
      addDays('2026-03-01', policy.stages[0]?.offsetDays ?? 0),
      'Europe/Berlin',
    );
    expect(undisputed).toMatchObject({ outcome: 'changed', nextActionAt: firstStageDay.toISOString() });
    expect(counted(summary.skipped)).toEqual({});
    expect(summary.sent).toBe(4);
    const recipients = (await mailbox.emails()).map((email) => email.destination.to[0]).sort();
    expect(recipients).toEqual(
      ['bounced', 'disputed', 'optedOut', 'paused'].map((id) => `${id}@customer.example`),
    );
    const reader = new LedgerReader(store.documentClient, store.tableName);
    expect((await reader.getCustomer('paused'))?.pausedUntil).toBeUndefined();
    expect((await show('inv-optedOut')).care.map((event) => event.action)).toEqual(['opted_out', 'resumed']);

    // A second resume and undispute find nothing held back: they say so and record nothing.
    const again = await care.resume('optedOut', 'twice');
    const undisputedAgain = await care.undispute('inv-disputed', 'twice');
    expect(again).toMatchObject({ changed: false, customer: { status: 'active' } });
    expect(undisputedAgain).toMatchObject({ outcome: 'unchanged' });
    expect((await show('inv-optedOut')).care.map((event) => event.action)).toEqual(['opted_out', 'resumed']);
    expect((await show('inv-disputed')).care.filter((event) => event.action === 'undisputed')).toHaveLength(
      1,
    );
  });

  it('signs the List-Unsubscribe link so that posting it opts exactly that customer out', async () => {
    const emails = (await mailbox.emails()) as MailWithHeaders[];
    const toPaused = emails.find((email) => email.destination.to[0] === 'paused@customer.example');
    const header = toPaused?.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
    const link = new URL(header.replace(/^<|>$/g, ''));
    const optOut = createOptOutReceiver({
      secret: async () => OPT_OUT_SECRET,
      companyName: 'Northwind Supplies Ltd',
      care,
      logger: silent,
    });

    const response = await optOut({
      method: 'POST',
      query: link.search,
      rawBody: Buffer.from('List-Unsubscribe=One-Click'),
    });

    expect(link.origin + link.pathname).toBe(`${settings.publicUrl}/optout`);
    expect(link.searchParams.get('customer')).toBe('paused');
    expect(response.status).toBe(200);
    const reader = new LedgerReader(store.documentClient, store.tableName);
    expect((await reader.getCustomer('paused'))?.status).toBe('opted_out');
    expect((await reader.getCustomer('control'))?.status).toBe('active');
  });

  it('names an unknown customer or invoice', async () => {
    await expect(care.pause({ customerId: 'nobody', until: '2026-04-01' })).rejects.toThrow(
      new NotFoundError('No customer "nobody" in the store'),
    );
    await expect(care.resume('nobody')).rejects.toThrow(/No customer "nobody"/);
    await expect(care.dispute('no-invoice', 'x')).rejects.toThrow(/No invoice "no-invoice"/);
    await expect(care.undispute('no-invoice')).rejects.toThrow(/No invoice "no-invoice"/);
  });
});
