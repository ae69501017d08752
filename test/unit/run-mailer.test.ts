import { SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { AWS_TIMEOUTS, clientOptions } from '../../functions/shared/adapters/endpoints.ts';
import { classifySendError, SesMailer } from '../../functions/shared/adapters/ses/mailer.ts';
import { PermanentSendError, TransientSendError } from '../../functions/shared/domain/run/send-errors.ts';

// SES throttling cannot be provoked on the emulator; a client whose send answers from a script stands in.
const scriptedClient = (answers: (() => unknown)[]) => {
  const client = new SESv2Client({ region: 'us-east-1' });
  let call = 0;
  const sent: unknown[] = [];
  client.send = (async (command: { input: unknown; constructor: { name: string } }) => {
    if (command.constructor.name === 'GetAccountCommand') return { SendQuota: { MaxSendRate: 1000 } };
    sent.push(command.input);
    const answer = answers[Math.min(call++, answers.length - 1)];
    return answer?.();
  }) as typeof client.send;
  return { client, sent };
};

const throttled = () => {
  throw new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } });
};
const email = { to: 'ap@customer.example', subject: 'Invoice N-1', html: '<p>x</p>', text: 'x' };
const noWait = async () => undefined;

describe('SES mailer', () => {
  it('retries throttling with backoff until SES accepts', async () => {
    const { client, sent } = scriptedClient([throttled, throttled, () => ({ MessageId: 'm-1' })]);

    const result = await new SesMailer(client, { from: 'billing@dunning.local', sleep: noWait }).send(email);

    expect(result).toEqual({ messageId: 'm-1' });
    expect(sent).toHaveLength(3);
  });

  it('gives up after its attempts with an error saying nothing was sent', async () => {
    const { client, sent } = scriptedClient([throttled]);

    const sending = new SesMailer(client, {
      from: 'billing@dunning.local',
      sleep: noWait,
      maxAttempts: 3,
    }).send(email);

    await expect(sending).rejects.toBeInstanceOf(TransientSendError);
    expect(sent).toHaveLength(3);
  });

  it('turns a rejection into a permanent failure without retrying', async () => {
    const { client, sent } = scriptedClient([
      () => {
        throw Object.assign(new Error('Email address is not verified'), {
          name: 'MessageRejected',
          $metadata: { httpStatusCode: 400 },
        });
      },
    ]);

    const sending = new SesMailer(client, { from: 'billing@dunning.local', sleep: noWait }).send(email);

    await expect(sending).rejects.toBeInstanceOf(PermanentSendError);
    expect(sent).toHaveLength(1);
  });

  it('classifies a server error or a lost connection as an unknown outcome, never retried', () => {
    expect(classifySendError(Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 500 } }))).toBe(
      'unknown',
    );
    expect(classifySendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'unknown',
    );
  });

  it('retries a send that never connected, and leaves one that timed out waiting unknown', async () => {
    // The time-outs every SDK client carries (functions/shared/adapters/endpoints.ts), as smithy reports them.
    const neverConnected = Object.assign(
      new Error(
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.',
      ),
      { name: 'TimeoutError' },
    );
    const waitedTooLong = Object.assign(
      new Error(
        '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 10000 ms requestTimeout.',
      ),
      { name: 'TimeoutError', code: 'ETIMEDOUT' },
    );
    expect(classifySendError(neverConnected)).toBe('throttled');
    expect(
      classifySendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe('throttled');
    expect(classifySendError(waitedTooLong)).toBe('unknown');
    expect(AWS_TIMEOUTS).toEqual({
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
    expect(clientOptions({ kind: 'aws' }).requestHandler).toBe(AWS_TIMEOUTS);
    expect(clientOptions({ kind: 'local', url: 'http://127.0.0.1:1' }).requestHandler).toMatchObject({
      connectionTimeout: expect.any(Number),
      requestTimeout: expect.any(Number),
      throwOnRequestTimeout: true,
    });
  });

  it('sends one recipient per call with one-line headers and the configuration set', async () => {
    const { client, sent } = scriptedClient([() => ({ MessageId: 'm-2' })]);

    await new SesMailer(client, {
      from: 'billing@dunning.local',
      configurationSetName: 'dunning',
      sleep: noWait,
    }).send({
      ...email,
      subject: 'Invoice N-1\r\nBcc: victim@example.com',
      headers: { 'List-Unsubscribe': '<https://x.example/optout?customer=a\nb>' },
    });

    expect(sent[0]).toMatchObject({
      ConfigurationSetName: 'dunning',
      Destination: { ToAddresses: ['ap@customer.example'] },
      Content: {
        Simple: {
          Subject: { Data: 'Invoice N-1 Bcc: victim@example.com' },
          Headers: [{ Name: 'List-Unsubscribe', Value: '<https://x.example/optout?customer=a b>' }],
        },
      },
    });
  });
});
