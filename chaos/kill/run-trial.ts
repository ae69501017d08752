import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCliContext } from '../../cli/context.ts';
import { loadWebhookSecrets } from '../../cli/local/secrets.ts';
import { createLocalRun } from '../../functions/run/local.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { cliEnv } from '../../test/e2e/cli-process.ts';
import { customer, invoice, seed } from '../../test/integration/run-support.ts';
import { startTestMailbox, startTestStore } from '../../test/support/emulators.ts';
import { ageOpenClaims, readInvoices, runAndKill, type Trial } from './harness.ts';

/** A Tuesday, 13:00 in Berlin: every customer is in business hours, so nothing is deferred. */
const AS_OF = '2026-03-10';
const AS_OF_INSTANT = '2026-03-10T12:00:00.000Z';
const CUSTOMERS = 12;
const DUE_DATES = ['2026-03-01', '2026-02-20', '2026-02-01'];

/** Invoice numbers with nothing a template could break or escape, so they are found in the mail text. */
const numberOf = (tag: string, who: number, index: number) => `K${tag}C${who}V${index}`;

const portfolio = (tag: string, random: () => number) => {
  const customers: Customer[] = [];
  const invoices: Invoice[] = [];
  for (let who = 0; who < CUSTOMERS; who += 1) {
    const customerId = `t${tag}-c${who}`;
    customers.push(customer(customerId));
    const count = 1 + Math.floor(random() * DUE_DATES.length);
    for (let index = 0; index < count; index += 1)
      invoices.push({
        ...invoice(`${customerId}-${index}`, customerId, { dueDate: DUE_DATES[index] as string }),
        invoiceNumber: numberOf(tag, who, index),
      });
  }
  return { customers, invoices };
};

/** What `dunning run --as-of AS_OF` does, in this process: the re-runs need no second process start. */
const runHere = async (env: NodeJS.ProcessEnv): Promise<void> => {
  const context = await createCliContext({}, env);
  const local = createLocalRun(context, { optOut: loadWebhookSecrets(context.config).optOut });
  try {
    await local.runAll({ asOf: new Date(AS_OF_INSTANT) });
  } finally {
    local.close();
    context.close();
  }
};

/**
 * One `dunning run` process killed at a random moment, then run again to its end; the claims the
 * kill left are let go stale and a third run settles them. Checks at-most-once against the mail the SES
 * emulator (in this process, so it outlives the kill) really accepted.
 */
export const runKillTrial: Trial = async (trial, random, windowMs) => {
  const [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox()]);
  const dataDir = await mkdtemp(join(tmpdir(), 'dunning-kill-run-'));
  try {
    // aws-ses-v2-local keeps one mail store per process, shared with whatever else runs here: this
    // trial reads only the mail of its own invoices, tagged with the trial and a draw of the seed.
    const tag = `${trial}x${Math.floor(random() * 1e6)}`;
    const ours = async () =>
      (await mailbox.emails()).filter((email) => email.body.text?.includes(`K${tag}C`));
    const { customers, invoices } = portfolio(tag, random);
    await seed(store, customers, invoices);
    const env = cliEnv({
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_SES_PORT: String(mailbox.port),
      DUNNING_TABLE_NAME: store.tableName,
      // The run keeps its opt-out secret there; never in the working tree's .dunning/.
      DUNNING_DATA_DIR: dataDir,
    });
    const violations: string[] = [];

    // Act: kill at a random moment; most land after the ~1 s of loading, from the first read to the last send.
    const delay = Math.floor(windowMs * (0.2 + 0.8 * random()));
    const kill = await runAndKill(['run', '--as-of', AS_OF, '--json'], env, delay);
    const beforeKill = (await ours()).length;
    // At once, as a restarted scheduler would: the dead run's fresh claims must hold.
    await runHere(env).catch((error) => violations.push(`re-run failed: ${error.message}`));
    if ((await ageOpenClaims(store.documentClient, store.tableName)).length > 0)
      await runHere(env).catch((error) => violations.push(`settling run failed: ${error.message}`));

    // Assess
    const emails = await ours();
    const messageIds = new Set(emails.map((email) => email.messageId));
    const mailed = new Map<string, number>();
    for (const email of emails)
      for (const number of new Set(email.body.text?.match(/\bK\d+x\d+C\d+V\d+\b/g) ?? []))
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
      // A run that ended before its kill shows how long a whole one takes.
      fullMs: kill.killed ? windowMs : kill.elapsedMs,
      counts: {
        emails: emails.length,
        emails_before_kill: beforeKill,
        unknown_outcomes: unknown,
        held_unsent: heldUnsent,
      },
    };
  } finally {
    await Promise.all([store.stop(), mailbox.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  }
};
