import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesClient } from '../../functions/shared/adapters/ses/client.ts';
import { startTestMailbox, type TestMailbox } from '../support/emulators.ts';

describe('SES v2 emulator through the SDK', () => {
  let mailbox: TestMailbox;
  beforeAll(async () => {
    mailbox = await startTestMailbox();
  });
  afterAll(() => mailbox.stop());

  it('keeps what the SDK sent, readable over its HTTP store', async () => {
    const ses = createSesClient(mailbox.endpoint);
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'billing@dunning.local',
        Destination: { ToAddresses: ['ap@customer.example'] },
        Content: { Simple: { Subject: { Data: 'Invoice INV-1' }, Body: { Text: { Data: 'Hello' } } } },
      }),
    );
    const emails = await mailbox.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      messageId: MessageId,
      subject: 'Invoice INV-1',
      body: { text: 'Hello' },
    });
    ses.destroy();
  });
});
