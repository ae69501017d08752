import type { SentEmail } from '../test/support/emulators.ts';
import { BASE_DATE } from './commands.ts';
import type { Emulators, Trial } from './harness.ts';

/**
 * Security checks on what the product says to the outside: responses, log lines and emails carry no
 * secret, no signature and no stack trace; customer-supplied text cannot add mail headers or HTML.
 */

/** A line of a JavaScript stack trace, as Node prints it. */
const STACK_LINE = /^\s{4}at |\n\s{4}at \S|\(\/[^)]*:\d+:\d+\)/m;

/** The values that must never appear anywhere: each secret, its key material, every signature sent. */
export const secretValues = (trial: Pick<Trial, 'secrets' | 'signatures'>): string[] => {
  const { stripe, payments } = trial.secrets;
  return [
    stripe,
    payments,
    payments.replace(/^whsec_/, ''),
    stripe.replace(/^whsec_/, ''),
    ...trial.signatures,
  ].filter((value) => value.length >= 16);
};

/** Every text that leaks a secret or a stack, with what it leaked; empty when all is well. */
export const leaks = (texts: Iterable<string>, secrets: readonly string[]): string[] => {
  const found: string[] = [];
  for (const text of texts) {
    if (STACK_LINE.test(text)) found.push(`stack trace in: ${text.slice(0, 200)}`);
    for (const secret of secrets)
      if (text.includes(secret))
        found.push(`secret or signature (${secret.slice(0, 6)}...) in: ${text.slice(0, 120)}`);
  }
  return found;
};

export const emailTexts = (emails: readonly SentEmail[]): string[] =>
  emails.flatMap((email) => [
    email.subject,
    email.body.text ?? '',
    email.body.html ?? '',
    ...email.destination.to,
  ]);

/** What a trial said to the outside (responses, log lines, emails), scanned for its own secrets. */
export const trialLeaks = (
  trial: Pick<Trial, 'secrets' | 'signatures' | 'responses' | 'logLines'>,
  emails: readonly SentEmail[],
): string[] => leaks([...trial.responses, ...trial.logLines, ...emailTexts(emails)], secretValues(trial));

/** Names and numbers a customer's own system could hand us, each trying to escape its place. */
export const INJECTIONS = [
  { name: 'Ada\r\nBcc: victim@evil.example', number: 'INJ-1' },
  { name: '<script>alert("name")</script>', number: 'INJ-2<img src=x onerror=alert(1)>' },
  { name: 'Bob"><a href="http://evil.example">pay here</a>', number: 'INJ-3\nX-Injected: yes' },
  { name: '=HYPERLINK("http://evil.example","Click")', number: '@INJ-4' },
];

/** Two days after BASE_DATE (a Monday), at noon UTC: the "first" stage has come for invoices due then. */
const FIRST_STAGE_DUE = '2027-03-03T12:00:00Z';

const csvCell = (value: string) => `"${value.replaceAll('"', '""')}"`;

/**
 * Imports customers whose names and invoice numbers carry header and HTML injections, runs the real
 * templates, and reads the SES emulator's store: one recipient each, no extra header, no live HTML.
 * An import that refuses such a row (naming it) is also safe; what it accepted must be harmless.
 */
export const mailInjectionProblems = async (emulators: Emulators, trial: Trial): Promise<string[]> => {
  const problems: string[] = [];
  await emulators.mailbox.clear();
  for (const [index, injection] of INJECTIONS.entries()) {
    const id = `INJ-${index}`;
    const row = [
      id,
      `CINJ-${index}`,
      injection.name,
      `inj-${index}@customer.example`,
      'EUR',
      '250.00',
      BASE_DATE,
      injection.number,
    ];
    const csv = `invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,invoice_number\n${row.map(csvCell).join(',')}\n`;
    try {
      await trial.importRows(`injection-${index}.csv`, csv);
    } catch (error) {
      if (!(error as Error).message.includes('row 2'))
        problems.push(`injection row ${index} refused without naming it`);
    }
  }
  // Two days after the due date, a weekday noon: the "first" stage is due for each of them.
  await trial.run(new Date(FIRST_STAGE_DUE));
  const emails = await emulators.mailbox.emails();
  if (emails.length === 0) problems.push('no reminder went out to check');
  for (const email of emails) {
    if (/[\r\n]/.test(email.subject))
      problems.push(`line break in the subject: ${JSON.stringify(email.subject)}`);
    const recipients = [...email.destination.to, ...email.destination.cc, ...email.destination.bcc];
    if (recipients.length !== 1 || !/^inj-\d@customer\.example$/.test(recipients[0] ?? ''))
      problems.push(`unexpected recipients: ${recipients.join(', ')}`);
    const html = email.body.html ?? '';
    for (const live of [/<script/i, /<img\b/i, /<a [^>]*evil\.example/i, /<[^>]*\bonerror=/i])
      if (live.test(html))
        problems.push(`customer text became live HTML (${live.source}) in ${email.subject}`);
  }
  return problems;
};

const ONE_CLICK = {
  method: 'POST',
  body: 'List-Unsubscribe=One-Click',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};

/**
 * The opt-out link of one customer's reminder, replayed with another customer's id, with a forged or
 * altered token, and finally as sent: only the last may opt anyone out, and only its own customer.
 */
export const optOutProblems = async (emulators: Emulators, trial: Trial): Promise<string[]> => {
  const problems: string[] = [];
  await emulators.mailbox.clear();
  const rows = ['A', 'B'].map(
    (who) =>
      `OPT-${who},COPT-${who},Customer ${who},opt-${who.toLowerCase()}@customer.example,EUR,80.00,${BASE_DATE},OPT-${who}`,
  );
  await trial.importRows(
    'opt-out.csv',
    `invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,invoice_number\n${rows.join('\n')}\n`,
  );
  await trial.run(new Date(FIRST_STAGE_DUE));
  const email = (await emulators.mailbox.emails()).find((candidate) =>
    candidate.destination.to.includes('opt-a@customer.example'),
  );
  const link = (email?.body.html ?? '').match(/\/optout\?customer=([^&"]+)&(?:amp;)?token=([^"&<\s]+)/);
  if (!link?.[1] || !link[2]) return [...problems, 'no opt-out link in the reminder to customer A'];
  const token = decodeURIComponent(link[2]);
  const status = async (customerId: string) =>
    (await trial.show(`OPT-${customerId.slice(-1)}`))?.customer?.status;
  const attempt = async (customer: string, presented: string) =>
    (
      await trial.request(
        `/optout?customer=${encodeURIComponent(customer)}&token=${encodeURIComponent(presented)}`,
        ONE_CLICK,
      )
    ).status;

  const forged = [
    ['COPT-B', token, "A's token for customer B"],
    ['COPT-A', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'an altered token'],
    ['COPT-A', '', 'no token'],
    ['COPT-A', 'x'.repeat(token.length), 'a made-up token'],
    ['COPT-A ', token, 'a customer id with a trailing space'],
  ] as const;
  for (const [customer, presented, what] of forged) {
    const answer = await attempt(customer, presented);
    if (answer !== 403) problems.push(`opt-out with ${what} answered ${answer}, not 403`);
  }
  if ((await status('COPT-A')) !== 'active' || (await status('COPT-B')) !== 'active')
    problems.push('a refused opt-out changed a customer');
  const own = await attempt('COPT-A', token);
  if (own !== 200) problems.push(`the genuine opt-out answered ${own}`);
  if ((await status('COPT-A')) !== 'opted_out')
    problems.push('the genuine opt-out did not opt customer A out');
  if ((await status('COPT-B')) !== 'active') problems.push("customer A's link changed customer B");
  return problems;
};
