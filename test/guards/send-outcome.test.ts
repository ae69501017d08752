import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customerKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { createSendingClient } from '../../functions/shared/adapters/ses/client.ts';
import type { Mailer, OutgoingEmail } from '../../functions/shared/domain/ports.ts';
import { PermanentSendError, TransientSendError } from '../../functions/shared/domain/run/send-errors.ts';
import { buildRun, customer, invoice, seed } from '../integration/run-support.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { startSesStandIn } from '../support/ses-stand-in.ts';

/**
 * Guard: a reminder whose send outcome is unknown is never sent again. SES has no idempotency key,
 * so the SDK must not retry a send (the sending client has `maxAttempts: 1`), an ambiguous failure
 * leaves the stage claim in place (`unknown`, flagged for an operator) and the customer claimed, and
 * no later run sends that stage. Only a provable "not sent" (throttled, refused) gives the claim back.
 */

// Tuesday 3 March, 11:00 in Berlin: stage `first` of an invoice due on 1 March, in business hours.
const FIRST_RUN = new Date('2026-03-03T10:00:00Z');
// A week later: past the 3-day gap, still inside stage `first` (days 1 to 13).
const WEEK_LATER = new Date('2026-03-10T10:00:00Z');

/** A mailer whose outcome each test scripts: the run's reaction is what is under test. */
const scriptedMailer = (outcomes: (() => { messageId: string })[]) => {
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = {
    send: async (email) => {
      sent.push(email);
      const next = outcomes[Math.min(sent.length - 1, outcomes.length - 1)];
      if (!next) throw new Error('no outcome scripted');
      return next();
    },
  };
  return { mailer, sent };
};

const ambiguous = () => {
  throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
};
const delivered = () => ({ messageId: 'm-ok' });

describe('Guard: no resend after an ambiguous send', () => {
  let store: TestStore;
  let ses: Awaited<ReturnType<typeof startSesStandIn>>;
  beforeAll(async () => {
    ses = await startSesStandIn();
  });
  afterAll(() => ses.stop());
  beforeEach(async () => {
    store = await startTestStore();
    await seed(store, [customer('c1')], [invoice('a1', 'c1')]);
  });
  afterEach(() => store.stop());

  const audit = () => readInvoiceAudit(store.documentClient, store.tableName, 'a1');
  const lastReminderAt = async () =>
    (
      await store.documentClient.send(
        new GetCommand({ TableName: store.tableName, Key: customerKey('c1'), ConsistentRead: true }),
      )
    ).Item?.lastReminderAt;

  it('builds the sending client with the SDK retries off', async () => {
    const client = createSendingClient({ kind: 'aws' });
    const local = createSendingClient(ses.endpoint);

    expect(await client.config.maxAttempts()).toBe(1);
    expect(await local.config.maxAttempts()).toBe(1);
    client.destroy();
    local.destroy();
  });

  it('sends once to SES when SES answers 500, and never again in a later run', async () => {
    ses.answer('server_error');
    const before = ses.sends();
    const first = buildRun(store, ses);
    const { summary } = await first.run.run({ asOf: FIRST_RUN });
    first.close();
    expect(ses.sends() - before).toBe(1);
    expect(summary).toMatchObject({ sent: 0, emails: 0 });

    ses.answer('ok');
    const later = buildRun(store, ses);
    const again = await later.run.run({ asOf: WEEK_LATER });
    later.close();

    expect(ses.sends() - before).toBe(1);
    expect(again.summary).toMatchObject({ sent: 0, emails: 0 });
    expect((await audit())?.invoice.claims.first?.status).toBe('unknown');
  });

  it('keeps the stage claim, flags the invoice and records the skip', async () => {
    const { mailer, sent } = scriptedMailer([ambiguous, delivered]);
    const run = buildRun(store, ses, { mailer });

    await run.run.run({ asOf: FIRST_RUN });
    await run.run.run({ asOf: WEEK_LATER });
    run.close();

    expect(sent).toHaveLength(1);
    const after = await audit();
    expect(after?.invoice.claims.first).toMatchObject({ status: 'unknown' });
    expect(after?.needsAttention).toContain('first');
    expect(after?.skips.map((skip) => skip.reason)).toContain('unknown_outcome');
  });

  it('keeps the customer claimed: no other email to them inside the gap', async () => {
    const { mailer } = scriptedMailer([ambiguous]);
    const run = buildRun(store, ses, { mailer });

    await run.run.run({ asOf: FIRST_RUN });
    run.close();

    expect(await lastReminderAt()).toBe(FIRST_RUN.toISOString());
  });

  it('gives claim and customer back when SES provably did not send (throttled), so a later run sends', async () => {
    const { mailer, sent } = scriptedMailer([
      () => {
        throw new TransientSendError('SES kept throttling');
      },
      delivered,
    ]);
    const run = buildRun(store, ses, { mailer });

    const first = await run.run.run({ asOf: FIRST_RUN });
    expect((await audit())?.invoice.claims).toEqual({});
    expect(await lastReminderAt()).toBeUndefined();
    const retry = await run.run.run({ asOf: new Date(FIRST_RUN.getTime() + 3_600_000) });
    run.close();

    expect(first.summary).toMatchObject({ sent: 0, failed: 1 });
    expect(retry.summary).toMatchObject({ sent: 1, emails: 1 });
    expect(sent).toHaveLength(2);
    expect((await audit())?.invoice.claims.first?.status).toBe('sent');
  });

  it('settles a refused message as failed, takes the fee back and gives the customer back', async () => {
    const { mailer } = scriptedMailer([
      () => {
        throw new PermanentSendError('Email address is not verified');
      },
    ]);
    const run = buildRun(store, ses, { mailer });

    const { summary } = await run.run.run({ asOf: FIRST_RUN });
    run.close();

    expect(summary).toMatchObject({ sent: 0, failed: 1 });
    expect((await audit())?.invoice.claims.first?.status).toBe('failed');
    // The stage is over, not the dunning: the invoice waits in the index for `second` (15 March in Berlin).
    expect((await audit())?.invoice.nextActionAt).toBe('2026-03-14T23:00:00.000Z');
    expect(await lastReminderAt()).toBeUndefined();
  });
});
