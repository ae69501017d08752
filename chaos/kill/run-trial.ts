import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { cliEnv } from '../../test/e2e/cli-process.ts';
import { customer, invoice, seed } from '../../test/integration/run-support.ts';
import { startTestMailbox, startTestStore } from '../../test/support/emulators.ts';
import { ageOpenClaims, readInvoices, runAndKill, runToEnd, type TrialResult } from './harness.ts';

/** A Tuesday, 13:00 in Berlin: every customer is in business hours, so nothing is deferred. */
const AS_OF = '2026-03-10';
const AS_OF_INSTANT = '2026-03-10T12:00:00.000Z';
const CUSTOMERS = 12;
const DUE_DATES = ['2026-03-01', '2026-02-20', '2026-02-01'];

/** Invoice numbers with nothing a template could break or escape, so they are found in the mail text. */
const numberOf = (trial: number, who: number, index: number) => `K${trial}C${who}V${index}`;

const portfolio = (trial: number, random: () => number) => {
  const customers: Customer[] = [];
  const invoices: Invoice[] = [];
  for (let who = 0; who < CUSTOMERS; who += 1) {
    const customerId = `t${trial}-c${who}`;
    customers.push(customer(customerId));
    const count = 1 + Math.floor(random() * DUE_DATES.length);
    for (let index = 0; index < count; index += 1)
      invoices.push({
        ...invoice(`${customerId}-${index}`, customerId, { dueDate: DUE_DATES[index] as string }),
        invoiceNumber: numberOf(trial, who, index),
      });
  }
  return { customers, invoices };
};

/**
 * One `dunning run` killed at a random moment, then run again to its end; the claims the kill left
 * are let go stale and a third run settles them. Checks at-most-once against the mail the SES
 * emulator (in this process, so it outlives the kill) really accepted.
 */
export const runKillTrial = async (trial: number, random: () => number): Promise<TrialResult> => {
  const [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox()]);
  try {
    // aws-ses-v2-local keeps one mail store per process: this trial reads only its own.
    await mailbox.clear();
    const { customers, invoices } = portfolio(trial, random);
    await seed(store, customers, invoices);
    const env = cliEnv({
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_SES_PORT: String(mailbox.port),
      DUNNING_TABLE_NAME: store.tableName,
    });
    const args = ['run', '--as-of', AS_OF, '--json'];
    const violations: string[] = [];

    // Act: kill somewhere between the process start (~1 s of loading) and the last of its sends.
    const kill = await runAndKill(args, env, 700 + Math.floor(random() * 1_800));
    const beforeKill = (await mailbox.emails()).length;
    for (const again of [false, true]) {
      if (again && (await ageOpenClaims(store.documentClient, store.tableName)).length === 0) break;
      const rerun = await runToEnd(args, env);
      if (rerun.code !== 0) violations.push(`re-run exited ${rerun.code}: ${rerun.stderr.trim()}`);
    }

    // Assess
    const emails = await mailbox.emails();
    const messageIds = new Set(emails.map((email) => email.messageId));
    const mailed = new Map<string, number>();
    for (const email of emails)
      for (const number of new Set(email.body.text?.match(/\bK\d+C\d+V\d+\b/g) ?? []))
        mailed.set(number, (mailed.get(number) ?? 0) + 1);
    const { invoices: stored, problems } = await readInvoices(store.documentClient, store.tableName);
    violations.push(...problems);
    const reader = new LedgerReader(store.documentClient, store.tableName);
    const held = new Set<string>();
    for (const who of customers)
      if ((await reader.getCustomer(who.customerId))?.lastReminderAt === AS_OF_INSTANT)
        held.add(who.customerId);
    let unknown = 0;
    let heldUnsent = 0;
    for (const bill of stored.values()) {
      const claims = Object.values(bill.claims);
      const times = mailed.get(bill.invoiceNumber) ?? 0;
      if (times > 1) violations.push(`${bill.invoiceId}: ${times} emails for one stage`);
      if (claims.some((claim) => claim.status === 'claimed'))
        violations.push(`${bill.invoiceId}: a claim is still claimed after it went stale`);
      for (const claim of claims) {
        if (claim.status === 'unknown') unknown += 1;
        if (claim.status === 'sent' && !messageIds.has(claim.messageId ?? ''))
          violations.push(`${bill.invoiceId}: recorded sent as ${claim.messageId}, which SES never accepted`);
      }
      if (times > 0 && claims.length === 0) violations.push(`${bill.invoiceId}: emailed without a claim`);
      if (claims.length === 0) {
        // A customer claimed by the killed run before any of its sends stays held for the minimum gap.
        if (held.has(bill.customerId)) heldUnsent += 1;
        else violations.push(`${bill.invoiceId}: due, never sent and not held`);
      }
    }
    return {
      killed: kill.killed,
      violations,
      counts: {
        emails: emails.length,
        emails_before_kill: beforeKill,
        unknown_outcomes: unknown,
        held_unsent: heldUnsent,
      },
    };
  } finally {
    await Promise.all([store.stop(), mailbox.stop()]);
  }
};
