import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { seededRandom } from '../cli/demo/portfolio.ts';
import { createDocumentClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { readInvoiceAudit } from '../functions/shared/adapters/dynamodb/run-audit.ts';
import { localEndpoint } from '../functions/shared/adapters/endpoints.ts';
import type { InvoiceAudit } from '../functions/shared/domain/run/audit.ts';
import { LOCAL_TABLE_NAME } from '../functions/shared/tables.ts';
import { cliEnv, freePort, noiseIn, type RunningCli, runCli, startCli } from '../test/e2e/cli-process.ts';
import type { SentEmail } from '../test/support/emulators.ts';
import { standardHeaders, stripeHeaders, testSecrets } from '../test/support/payment-fixtures.ts';
import { type SignedDelivery, standardPayment, stripePayment } from './deliveries.ts';
import { signatureValues } from './harness.ts';
import { hostileImportFiles } from './hostile-input.ts';
import { leaks } from './security.ts';

/**
 * Load on the real `dunning dev` process: thousands of signed webhook deliveries (duplicates and
 * out-of-order ones among them) posted with a fixed number in flight while a `dunning run` process
 * works the same store; then every invoice is read back and each delivery answered 2xx accounted for.
 */

export interface LoadOptions {
  readonly events: number;
  readonly inFlight: number;
  readonly invoices: number;
  /** Share of deliveries that repeat an earlier one (the provider's retry after a lost answer). */
  readonly duplicateShare: number;
  /** Share of events delivered before an event that logically precedes them (a refund before its payment). */
  readonly outOfOrderShare: number;
  readonly seed: number;
  /** Hostile import files run through the real CLI against the same stack. */
  readonly hostileFiles: number;
}

export interface LoadResult {
  readonly eventsPosted: number;
  readonly uniqueEvents: number;
  readonly non2xx: number;
  readonly lost: number;
  readonly doubleApplied: number;
  readonly doubleSends: number;
  /** Reminder emails the runs sent while the deliveries arrived. */
  readonly reminders: number;
  /** Hostile import files given to the real `dunning import` process, and how many it mishandled. */
  readonly hostileFiles: number;
  readonly hostileMishandled: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly seconds: number;
  readonly runsDuringLoad: number;
  readonly runFailures: number;
  readonly leaks: readonly string[];
  readonly problems: readonly string[];
}

interface LogicalEvent {
  readonly delivery: () => SignedDelivery;
  readonly invoiceId: string;
  readonly kind: 'payment' | 'refund';
  readonly amount: number;
  /** Built when the event is first posted; its repeats post the same event again. */
  first?: SignedDelivery;
}

const READY = /PAYMENTS_WEBHOOK_SECRET=\S+/;
/** A weekday noon after every invoice's due date: the run has reminders to send. */
const RUN_AS_OF = '2027-03-03T12:00:00Z';

const percentile = (sorted: readonly number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;

const portfolioCsv = (invoices: number): string => {
  const rows = Array.from({ length: invoices }, (_, index) => {
    const customer = index % Math.max(1, Math.floor(invoices / 5));
    const due = `2027-0${1 + (index % 2)}-${String(1 + (index % 27)).padStart(2, '0')}`;
    return `L-${index},LC-${customer},Load Customer ${customer},lc-${customer}@customer.example,EUR,1000.00,${due},LN-${index}-X`;
  });
  return `invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,invoice_number\n${rows.join('\n')}\n`;
};

/** The logical stream: payments, refunds of some of them, then duplicates and out-of-order moves. */
const eventPlan = (options: LoadOptions, secrets: ReturnType<typeof testSecrets>) => {
  const random = seededRandom(options.seed);
  const fresh = Math.round(options.events * (1 - options.duplicateShare));
  const logical: LogicalEvent[] = [];
  for (let index = 0; index < fresh; index++) {
    const previous = logical[Math.floor(random() * logical.length)];
    const invoiceId = `L-${Math.floor(random() * options.invoices)}`;
    const viaStripe = random() < 0.5;
    if (previous?.kind === 'payment' && random() < 0.1) {
      const refund = {
        invoiceId: previous.invoiceId,
        amount: Math.max(1, Math.floor(previous.amount / 2)),
        currency: 'EUR',
      };
      logical.push({
        invoiceId: previous.invoiceId,
        kind: 'refund',
        amount: refund.amount,
        delivery: () =>
          viaStripe ? stripePayment(secrets, refund, 'refund') : standardPayment(secrets, refund, 'refund'),
      });
      continue;
    }
    const amount = 100 + Math.floor(random() * 900);
    const payment = { invoiceId, amount, currency: 'EUR' };
    logical.push({
      invoiceId,
      kind: 'payment',
      amount,
      delivery: () => (viaStripe ? stripePayment(secrets, payment) : standardPayment(secrets, payment)),
    });
  }
  // Out of order: some events are moved ahead of events that came before them.
  for (let moved = 0; moved < Math.round(options.events * options.outOfOrderShare); moved++) {
    const from = Math.floor(random() * logical.length);
    const to = Math.max(0, from - 1 - Math.floor(random() * 50));
    const [event] = logical.splice(from, 1);
    if (event) logical.splice(to, 0, event);
  }
  // Duplicates: a delivery posted again later, byte for byte (re-signed as a provider's retry is).
  const schedule: { event: LogicalEvent; repeat: boolean }[] = logical.map((event) => ({
    event,
    repeat: false,
  }));
  for (let added = 0; added < options.events - fresh; added++) {
    const original = Math.floor(random() * schedule.length);
    const at = original + 1 + Math.floor(random() * (schedule.length - original));
    schedule.splice(at, 0, { event: schedule[original]?.event as LogicalEvent, repeat: true });
  }
  return { logical, schedule };
};

/** A provider's retry: the same event id and bytes, signed afresh. */
const retryOf = (delivery: SignedDelivery, secrets: ReturnType<typeof testSecrets>): SignedDelivery => ({
  ...delivery,
  headers:
    delivery.path === '/webhooks/stripe'
      ? stripeHeaders(delivery.body, secrets.stripe)
      : standardHeaders(delivery.body, secrets.payments, { id: delivery.eventId }),
});

/**
 * Hostile files through the real `dunning import --json` process: exit 0 or 1, never a stack trace,
 * and on exit 1 one JSON document on stdout whose `error` names the problem.
 */
const hostileCliImports = async (dir: string, env: NodeJS.ProcessEnv, options: LoadOptions) => {
  const problems: string[] = [];
  let output = '';
  const files = fc.sample(hostileImportFiles, { numRuns: options.hostileFiles, seed: options.seed });
  for (const [index, hostile] of files.entries()) {
    const file = join(dir, `${index}-${hostile.name}`);
    writeFileSync(file, hostile.content);
    const result = await runCli(['import', file, '--json'], env);
    output += `${result.stdout}\n${result.stderr}\n`;
    const label = `dunning import ${hostile.name} (${hostile.content.slice(0, 60).replace(/\s+/g, ' ')})`;
    if (result.code !== 0 && result.code !== 1)
      problems.push(`${label}: exit ${result.code} ${result.signal ?? ''}`);
    if (noiseIn(result.stderr).length > 0 || noiseIn(result.stdout).length > 0)
      problems.push(`${label}: stack trace or warning on the terminal`);
    if (result.code === 1) {
      try {
        const document = JSON.parse(result.stdout) as { error?: string };
        if (!document.error) problems.push(`${label}: exit 1 without an error message`);
      } catch {
        problems.push(`${label}: exit 1 without one JSON document on stdout`);
      }
    }
  }
  return { files: files.length, problems, output };
};

export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-load-'));
  const secrets = testSecrets();
  const ports = { dynamo: await freePort(), ses: await freePort(), http: await freePort() };
  const env = cliEnv({
    DUNNING_DATA_DIR: join(dir, 'data'),
    DUNNING_DYNAMODB_PORT: String(ports.dynamo),
    DUNNING_SES_PORT: String(ports.ses),
    DUNNING_HTTP_PORT: String(ports.http),
    STRIPE_WEBHOOK_SECRET: secrets.stripe,
    PAYMENTS_WEBHOOK_SECRET: secrets.payments,
  });
  const problems: string[] = [];
  let dev: RunningCli | undefined;
  const reader = createDocumentClient(localEndpoint(ports.dynamo));
  try {
    dev = startCli(['dev'], env);
    await dev.waitForOutput(READY, 60_000);
    const summaryLength = dev.stdout().length;
    const file = join(dir, 'load.csv');
    writeFileSync(file, portfolioCsv(options.invoices));
    const imported = await runCli(['import', file, '--json'], env);
    if (imported.code !== 0) throw new Error(`load portfolio import failed: ${imported.stderr}`);

    const { schedule } = eventPlan(options, secrets);
    const httpUrl = `http://127.0.0.1:${ports.http}`;
    const latencies: number[] = [];
    const answered = new Map<LogicalEvent, SignedDelivery>();
    const responses: string[] = [];
    const sentSignatures = new Set<string>();
    let non2xx = 0;
    let next = 0;

    // A dunning run (its own process) under way while the deliveries arrive.
    let runsDuringLoad = 0;
    let runFailures = 0;
    let posting = true;
    const runs = (async () => {
      while (posting) {
        const run = await runCli(['run', '--as-of', RUN_AS_OF, '--simulate', '--json'], env);
        runsDuringLoad += 1;
        if (run.code !== 0) {
          runFailures += 1;
          problems.push(`dunning run during load exited ${run.code}: ${run.stderr.slice(0, 300)}`);
        }
      }
    })();

    const started = performance.now();
    const worker = async () => {
      for (let slot = next++; slot < schedule.length; slot = next++) {
        const { event, repeat } = schedule[slot] as (typeof schedule)[number];
        // Built before any await: a repeat taken by another worker meanwhile finds it.
        const delivery = repeat && event.first ? retryOf(event.first, secrets) : event.delivery();
        event.first ??= delivery;
        for (const signature of signatureValues(delivery.headers)) sentSignatures.add(signature);
        const at = performance.now();
        const response = await fetch(`${httpUrl}${delivery.path}`, {
          method: 'POST',
          body: delivery.body,
          headers: delivery.headers,
        });
        const text = await response.text();
        latencies.push(performance.now() - at);
        if (responses.length < 2_000 || !response.ok) responses.push(text);
        if (response.ok) answered.set(event, event.first);
        else {
          non2xx += 1;
          problems.push(`${response.status} for ${delivery.path}: ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, worker));
    const seconds = (performance.now() - started) / 1000;
    posting = false;
    await runs;

    // Read back: each delivery answered 2xx is in `show` once; the amounts add up exactly.
    const expected = new Map<string, { received: number; events: Set<string> }>();
    for (const [event, delivery] of answered) {
      const entry = expected.get(event.invoiceId) ?? { received: 0, events: new Set<string>() };
      entry.received += event.kind === 'payment' ? event.amount : -event.amount;
      entry.events.add(delivery.eventId);
      expected.set(event.invoiceId, entry);
    }
    let lost = 0;
    let doubleApplied = 0;
    const audits = new Map<string, InvoiceAudit>();
    for (let index = 0; index < options.invoices; index++) {
      const invoiceId = `L-${index}`;
      const audit = await readInvoiceAudit(reader, LOCAL_TABLE_NAME, invoiceId);
      if (!audit) {
        problems.push(`${invoiceId}: imported but missing`);
        continue;
      }
      audits.set(invoiceId, audit);
      const entry = expected.get(invoiceId) ?? { received: 0, events: new Set<string>() };
      const shown = new Map<string, number>();
      for (const payment of audit.payments)
        shown.set(payment.paymentId, (shown.get(payment.paymentId) ?? 0) + 1);
      for (const eventId of entry.events) if (!shown.has(eventId)) lost += 1;
      for (const count of shown.values()) if (count > 1) doubleApplied += count - 1;
      const received = audit.invoice.amountReceived;
      if (received > entry.received) doubleApplied += 1;
      if (received < entry.received) lost += 1;
    }

    // No invoice got two emails for one stage: count the customer's emails naming each invoice (the
    // collections desk's hand-off digest names them too, and is not a reminder).
    const mail = (await (await fetch(`http://127.0.0.1:${ports.ses}/store`)).json()) as {
      emails: SentEmail[];
    };
    let doubleSends = 0;
    let reminders = 0;
    for (const [invoiceId, audit] of audits) {
      const number = audit.invoice.invoiceNumber;
      const to = audit.customer?.email ?? '';
      const mailed = mail.emails.filter(
        (email) => email.destination.to.includes(to) && (email.body.text ?? '').includes(number),
      ).length;
      const claimed = Object.values(audit.invoice.claims).filter((claim) => claim.status !== 'failed').length;
      reminders += mailed;
      if (mailed > claimed) {
        doubleSends += mailed - claimed;
        problems.push(`${invoiceId}: ${mailed} emails for ${claimed} stage claims`);
      }
    }

    const hostile = await hostileCliImports(dir, env, options);
    problems.push(...hostile.problems);
    const output = `${dev.stdout().slice(summaryLength)}\n${dev.stderr()}\n${hostile.output}`;
    const secretsToHide = [
      secrets.stripe,
      secrets.payments,
      secrets.payments.replace(/^whsec_/, ''),
      ...sentSignatures,
    ];
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      eventsPosted: schedule.length,
      uniqueEvents: answered.size,
      non2xx,
      lost,
      doubleApplied,
      doubleSends,
      reminders,
      hostileFiles: hostile.files,
      hostileMishandled: hostile.problems.length,
      p50Ms: Math.round(percentile(sorted, 0.5) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 0.99) * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      runsDuringLoad,
      runFailures,
      leaks: leaks(
        [...responses, output, ...mail.emails.map((email) => `${email.subject}\n${email.body.text}`)],
        secretsToHide,
      ),
      problems: problems.slice(0, 20),
    };
  } finally {
    reader.destroy();
    if (dev && dev.child.exitCode === null) {
      dev.child.kill('SIGINT');
      await dev.exited(10_000).catch(() => dev?.child.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  }
};
