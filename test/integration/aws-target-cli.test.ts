import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { verifyAnswerLink } from '../../functions/shared/domain/answers/link-token.ts';
import { isValidOptOutToken } from '../../functions/shared/domain/customer-care/opt-out-token.ts';
import { cliEnv, runCli } from '../e2e/cli-process.ts';
import type { SentEmail, TestMailbox, TestStore } from '../support/emulators.ts';
import { startTestMailbox, startTestStore } from '../support/emulators.ts';
import { sesEvent } from './care-support.ts';
import { SES_ACCOUNT } from './run-support.ts';

const OPT_OUT_SECRET = 'deployed-opt-out-key-0123456789abcdefghij';
const PUBLIC_URL = 'https://abc123.lambda-url.eu-west-1.on.aws/';
const ANSWER_LINK_SECRET = 'deployed-answer-link-key-0123456789abcdef';
const RESPOND_URL = 'https://resp456.lambda-url.eu-west-1.on.aws/';

type MailWithHeaders = SentEmail & { headers?: { name: string; value: string }[] };

/**
 * Every command with --aws, as separate processes, against dynalite and the SES emulator reached
 * through the SDK's standard endpoint variables with dummy credentials: the code path a deployed
 * stack takes, minus AWS. The table name and the run's settings come from the environment here
 * (a child process cannot use a CloudFormation mock; aws-target-outputs.test.ts covers that path).
 */
describe('The CLI on the AWS target', () => {
  let store: TestStore;
  let mailbox: TestMailbox;
  let dir: string;

  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
    dir = mkdtempSync(join(tmpdir(), 'dunning-aws-'));
    writeFileSync(
      join(dir, 'invoices.csv'),
      [
        'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,customer_timezone',
        'AWS-1,C-AWS-1,Acme,ap@acme.example,EUR,100.00,2026-03-01,Europe/Berlin',
        'AWS-2,C-AWS-2,Globex,AP@Globex.example,EUR,200.00,2026-03-01,Europe/Berlin',
        'AWS-3,C-AWS-3,Initech,ap@initech.example,EUR,300.00,2026-03-01,Europe/Berlin',
        'AWS-4,C-AWS-4,Umbrella,ap@umbrella.example,EUR,400.00,2026-03-01,Europe/Berlin',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await Promise.all([store?.stop(), mailbox?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const awsEnv = () =>
    cliEnv({
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${store.port}`,
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${mailbox.port}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      DUNNING_TARGET: 'aws',
      DUNNING_TABLE_NAME: store.tableName,
      DUNNING_DATA_DIR: join(dir, 'data'),
      DUNNING_TIME_ZONE: 'UTC',
      DUNNING_RUN_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:Dunning-Run',
      DUNNING_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/Dunning-Scheduler',
      DUNNING_SCHEDULE_GROUP: 'Dunning-deferrals',
      DUNNING_DEFERRAL_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:Dunning-DLQ',
      DUNNING_CONFIGURATION_SET: 'Dunning-ConfigurationSet',
      DUNNING_PUBLIC_URL: PUBLIC_URL,
      DUNNING_OPT_OUT_SECRET: OPT_OUT_SECRET,
      DUNNING_RESPOND_URL: RESPOND_URL,
      DUNNING_ANSWER_LINK_SECRET: ANSWER_LINK_SECRET,
    });
  const dunning = async (...args: string[]) => {
    const result = await runCli([...args, '--json'], awsEnv());
    return { code: result.code, json: JSON.parse(result.stdout || '{}'), stderr: result.stderr };
  };

  it('imports and shows an invoice on the deployed table', async () => {
    const imported = await dunning('import', join(dir, 'invoices.csv'));
    const shown = await dunning('show', 'AWS-1', '--aws');

    expect(imported).toMatchObject({ code: 0, json: { rows: 4, invoices: { new: 4 } } });
    expect(shown.code).toBe(0);
    expect(shown.json.invoice).toMatchObject({ invoiceId: 'AWS-1', outstanding: 100_00, status: 'open' });
    expect(shown.json.customer).toMatchObject({ customerId: 'C-AWS-1', status: 'active' });
  });

  it('pauses, disputes and (through the mail-events handler) bounces, and the run skips each', async () => {
    // Independent writes, so the processes run side by side.
    const [paused, disputed] = await Promise.all([
      dunning('pause', 'C-AWS-1', '--until', '2099-01-01', '--reason', 'promise to pay', '--aws'),
      dunning('dispute', 'AWS-3', '--reason', 'wrong quantity'),
      bounceThroughLambdaHandler('ap@globex.example'),
    ]);

    const run = await dunning('run', '--as-of', '2026-03-10');

    expect(paused).toMatchObject({
      code: 0,
      json: { customerId: 'C-AWS-1', status: 'paused', pausedUntil: '2099-01-01', reason: 'promise to pay' },
    });
    expect(disputed).toMatchObject({ code: 0, json: { invoiceId: 'AWS-3', disputed: true, changed: true } });
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      dryRun: false,
      sent: 1,
      emails: 1,
      skipped: { paused: 1, disputed: 1, bounced: 1 },
    });
    const emails = (await mailbox.emails()) as MailWithHeaders[];
    expect(emails.map((email) => email.destination.to[0])).toEqual(['ap@umbrella.example']);
    const header = emails[0]?.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
    const link = new URL(header.replace(/^<|>$/g, ''));
    expect(`${link.origin}/`).toBe(PUBLIC_URL);
    expect(isValidOptOutToken(OPT_OUT_SECRET, 'C-AWS-4', link.searchParams.get('token') ?? '')).toBe(true);
    // The answer link, as the run function signs it: on the respond function's URL, under its key.
    for (const body of [emails[0]?.body.html ?? '', emails[0]?.body.text ?? '']) {
      const [answerUrl] = body.match(/https:\/\/resp456[^\s"<]+/) ?? [];
      const answer = new URL((answerUrl ?? '').replaceAll('&amp;', '&'));
      expect(`${answer.origin}${answer.pathname}`).toBe(`${RESPOND_URL}respond`);
      expect(
        verifyAnswerLink(ANSWER_LINK_SECRET, answer.searchParams.get('token') ?? '', new Date()),
      ).toMatchObject({
        ok: true,
        link: { customerId: 'C-AWS-4', invoiceIds: ['AWS-4'] },
      });
    }
  });

  it('resumes a customer and ends a dispute, and names an unknown customer', async () => {
    const [resumed, undisputed, unknown] = await Promise.all([
      dunning('resume', 'C-AWS-1', '--reason', 'paid half, plan agreed'),
      dunning('undispute', 'AWS-3'),
      dunning('pause', 'NOPE', '--until', '2099-01-01'),
    ]);

    expect(resumed).toMatchObject({ code: 0, json: { customerId: 'C-AWS-1', status: 'active' } });
    expect(resumed.json.previous).toMatchObject({ status: 'paused', pausedUntil: '2099-01-01' });
    expect(undisputed).toMatchObject({
      code: 0,
      json: { invoiceId: 'AWS-3', disputed: false, changed: true },
    });
    expect(unknown).toEqual({ code: 1, json: { error: 'No customer "NOPE" in the store' }, stderr: '' });
    const audit = await readInvoiceAudit(store.documentClient, store.tableName, 'AWS-3');
    expect(audit?.invoice.flags).toEqual([]);
    expect(audit?.invoice.nextActionAt).toBeDefined();
    expect(audit?.care?.map((event) => event.action)).toEqual(['disputed', 'undisputed']);
  });

  /** The mail-events Lambda's own module, its SDK pointed at dynalite by the same endpoint variables. */
  const bounceThroughLambdaHandler = async (address: string) => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${store.port}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      DUNNING_TABLE_NAME: store.tableName,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    try {
      const { handler } = await import('../../functions/mail-events/handler.ts');
      const result = await handler(sesEvent('Permanent', address));
      expect(result).toMatchObject({
        accepted: true,
        recipients: [{ action: 'bounced', customers: [{ customerId: 'C-AWS-2', outcome: 'changed' }] }],
      });
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  };
});
