import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendingClient } from '../../functions/shared/adapters/ses/client.ts';
import { SesMailer } from '../../functions/shared/adapters/ses/mailer.ts';
import { SendQuota } from '../../functions/shared/domain/run/send-quota.ts';
import { startTestMailbox, type TestMailbox } from '../support/emulators.ts';
import { SES_ACCOUNT } from './run-support.ts';

describe('SES mailer against the SES v2 emulator', () => {
  let mailbox: TestMailbox;

  beforeAll(async () => {
    // The emulator answers GetAccount with this account: here a quota of 10 messages a second.
    const account = JSON.parse(SES_ACCOUNT);
    account.SendQuota.MaxSendRate = 10;
    mailbox = await startTestMailbox({ account: JSON.stringify(account) });
  });
  afterAll(() => mailbox.stop());

  it("reads the account's MaxSendRate, which holds the run's sends, and keeps the one-click unsubscribe headers", async () => {
    const client = createSendingClient(mailbox.endpoint);
    const mailer = new SesMailer(client, { from: 'billing@dunning.local' });
    const rate = await mailer.sendRate();
    // How the run sends: through the quota it read (domain/run/send-quota.ts), all six at once.
    const paced = new SendQuota(rate).paced(mailer, { ms: 0 });
    const started = Date.now();

    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        paced.send({
          to: `c${index}@customer.example`,
          subject: `Invoice N-${index}`,
          html: '<p>due</p>',
          text: 'due',
          headers: {
            'List-Unsubscribe': `<https://dunning.example/optout?customer=c${index}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
      ),
    );
    const elapsed = Date.now() - started;
    client.destroy();

    expect(rate).toBe(10);
    // At 10 a second from an empty bucket, the sixth send leaves 600 ms in.
    expect(elapsed).toBeGreaterThanOrEqual(590);
    const emails = (await mailbox.emails()) as unknown as { headers: { name: string; value: string }[] }[];
    expect(emails).toHaveLength(6);
    expect(emails[0]?.headers).toEqual([
      { name: 'List-Unsubscribe', value: '<https://dunning.example/optout?customer=c0>' },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('sends under the company name, encoded when it is not ASCII, with replies to the contact address', async () => {
    const client = createSendingClient(mailbox.endpoint);
    const mailer = new SesMailer(client, { from: 'Accounts Receivable <billing@dunning.local>' });
    await mailbox.clear();

    for (const fromName of ['Northwind "North" Ltd', 'Müller & Söhne GmbH']) {
      await mailer.send({
        to: 'ap@customer.example',
        subject: 'Invoice N-1',
        html: '<p>due</p>',
        text: 'due',
        replyTo: 'accounts@northwind.example',
        fromName,
      });
    }
    client.destroy();

    const emails = (await mailbox.emails()) as unknown as { from: string; replyTo: string[] }[];
    expect(emails.map((email) => email.from)).toEqual([
      '"Northwind \\"North\\" Ltd" <billing@dunning.local>',
      `=?UTF-8?B?${Buffer.from('Müller & Söhne GmbH').toString('base64')}?= <billing@dunning.local>`,
    ]);
    expect(emails.map((email) => email.replyTo)).toEqual([
      ['accounts@northwind.example'],
      ['accounts@northwind.example'],
    ]);
  });
});
