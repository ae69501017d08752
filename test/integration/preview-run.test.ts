import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dunning, useStore } from '../support/cli-in-process.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { customer, invoice, policy, SES_ACCOUNT, seed } from './run-support.ts';

/**
 * `dunning preview` is the run's own plan and rendering: what it shows for an invoice is, to the byte,
 * the email the following `dunning run` sends that invoice's customer, read back from the SES emulator.
 */
describe('dunning preview and the run that follows it', () => {
  let store: TestStore;
  let mailbox: TestMailbox;
  // 10 March 2026, a Tuesday, 12:00 UTC: inside business hours for customers in UTC.
  const AS_OF = '2026-03-10';
  const many = customer('c-many', { timeZone: 'UTC', name: 'Rivera & Daughters <Ltd>' });
  const other = customer('c-other', { timeZone: 'UTC' });
  // One invoice per stage on 10 March: third (32 days overdue, with its fee), second, first, courtesy.
  const due = {
    'm-third': '2026-02-06',
    'm-second': '2026-02-18',
    'm-first': '2026-03-08',
    'm-courtesy': '2026-03-13',
  } as const;

  const table = async () =>
    (await store.documentClient.send(new ScanCommand({ TableName: store.tableName, ConsistentRead: true })))
      .Items;

  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
    await seed(
      store,
      [many, other],
      [
        ...Object.entries(due).map(([id, dueDate]) => invoice(id, 'c-many', { dueDate })),
        invoice('m-later', 'c-many', { dueDate: '2026-05-01' }),
        invoice('o-first', 'c-other', { dueDate: '2026-03-08' }),
      ],
    );
    useStore(store, { DUNNING_SES_PORT: String(mailbox.port), DUNNING_TIME_ZONE: 'UTC' });
  });
  afterAll(async () => {
    await Promise.all([store.stop(), mailbox.stop()]);
  });

  it("shows the customer's one email for each of its invoices, then the run sends exactly that email", async () => {
    const before = await table();
    const previews = [];
    for (const id of Object.keys(due)) {
      const { code, json } = await dunning('preview', id, '--as-of', AS_OF, '--json');
      expect(code).toBe(0);
      previews.push(json);
    }
    const later = await dunning('preview', 'm-later', '--as-of', AS_OF, '--json');

    // Each invoice is shown at its own stage, in the same email that carries all four.
    expect(previews.map((preview) => preview.stage)).toEqual(['third', 'second', 'first', 'courtesy']);
    const [shown] = previews;
    for (const preview of previews) {
      expect(preview).toMatchObject({ reminder: true, subject: shown.subject, text: shown.text });
      expect(preview.html).toBe(shown.html);
    }
    expect(shown.invoices.map((line: { invoiceId: string }) => line.invoiceId).sort()).toEqual(
      Object.keys(due).sort(),
    );
    expect(shown.invoices.find((line: { stage: string }) => line.stage === 'third').fee).toBeGreaterThan(0);
    expect(shown.text).toContain('/respond?token=');
    expect(shown.text).toContain('/optout?customer=c-many');
    // The invoice the plan leaves out says why, and names the email its customer gets.
    expect(later.json).toMatchObject({
      invoiceId: 'm-later',
      reminder: false,
      reason: 'not_due',
      customerEmail: { subject: shown.subject },
    });
    // Read-only: not one item changed, nothing was sent.
    expect(await table()).toEqual(before);
    expect(await mailbox.emails()).toEqual([]);

    const run = await dunning('run', '--as-of', AS_OF, '--json');

    expect(run.json).toMatchObject({ sent: 5, emails: 2, failed: 0 });
    const sent = (await mailbox.emails()).filter((email) => email.destination.to.includes(many.email));
    expect(sent).toHaveLength(1);
    const [email] = sent;
    expect(email?.subject).toBe(shown.subject);
    expect(email?.body.text).toBe(shown.text);
    expect(email?.body.html).toBe(shown.html);
    expect(email?.from).toBe(shown.from);
    expect(email?.replyTo).toEqual([policy.company.contactEmail]);
    expect(shown.replyTo).toBe(policy.company.contactEmail);
  });

  it('says the stage is already sent once the run has sent it, and writes nothing doing so', async () => {
    const before = await table();

    const after = await dunning('preview', 'm-second', '--as-of', AS_OF, '--json');

    expect(after.json).toMatchObject({ reminder: false, reason: 'not_due' });
    expect(after.json.explanation).toMatch(/already sent|next, "third"/);
    expect(await table()).toEqual(before);
  });
});
