import { SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { AWS_TIMEOUTS, clientOptions } from '../../functions/shared/adapters/endpoints.ts';
import { classifySendError, fromHeader, SesMailer } from '../../functions/shared/adapters/ses/mailer.ts';
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
      // Above the run's most customers in flight, each with one call out, reused in turn.
      httpAgent: { maxSockets: 256, scheduling: 'fifo' },
      httpsAgent: { maxSockets: 256, scheduling: 'fifo' },
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

    expect(sent[0]).toEqual({
      FromEmailAddress: 'billing@dunning.local',
      ConfigurationSetName: 'dunning',
      Destination: { ToAddresses: ['ap@customer.example'] },
      Content: {
        Simple: {
          Subject: { Data: 'Invoice N-1 Bcc: victim@example.com', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>x</p>', Charset: 'UTF-8' }, Text: { Data: 'x', Charset: 'UTF-8' } },
          Headers: [{ Name: 'List-Unsubscribe', Value: '<https://x.example/optout?customer=a b>' }],
        },
      },
    });
  });

  it('takes every SES throttling error, and any 429, as throttled; other 4xx as refused; the rest as unknown', () => {
    const error = (name: string, httpStatusCode?: number) =>
      Object.assign(new Error(name), { name, ...(httpStatusCode ? { $metadata: { httpStatusCode } } : {}) });

    for (const name of [
      'TooManyRequestsException',
      'LimitExceededException',
      'ThrottlingException',
      'Throttling',
    ])
      expect(classifySendError(error(name))).toBe('throttled');
    expect(classifySendError(error('SlowDown', 429))).toBe('throttled');
    expect(classifySendError(error('MessageRejected', 400))).toBe('rejected');
    expect(classifySendError(error('NotFoundException', 499))).toBe('rejected');
    expect(classifySendError(error('InternalFailure', 500))).toBe('unknown');
    expect(classifySendError(error('Redirect', 399))).toBe('unknown');
    expect(classifySendError(undefined)).toBe('unknown');
  });

  it('throws an unknown outcome as it came, after one attempt, never as "not sent"', async () => {
    const serverError = Object.assign(new Error('internal'), { $metadata: { httpStatusCode: 503 } });
    const { client, sent } = scriptedClient([
      () => {
        throw serverError;
      },
    ]);

    const sending = new SesMailer(client, { from: 'billing@dunning.local', sleep: noWait }).send(email);

    await expect(sending).rejects.toBe(serverError);
    expect(sent).toHaveLength(1);
  });

  it('takes an answer without a message id as an unknown outcome, not retried', async () => {
    const { client, sent } = scriptedClient([() => ({})]);

    const sending = new SesMailer(client, { from: 'billing@dunning.local', sleep: noWait }).send(email);

    await expect(sending).rejects.toThrow('SES accepted the message without a message id');
    await sending.catch((error) => {
      expect(error).not.toBeInstanceOf(TransientSendError);
      expect(error).not.toBeInstanceOf(PermanentSendError);
    });
    expect(sent).toHaveLength(1);
  });

  it('keeps the refusal and the throttling it gives up on as the cause', async () => {
    const refusal = Object.assign(new Error('Email address is not verified'), {
      name: 'MessageRejected',
      $metadata: { httpStatusCode: 400 },
    });
    const refused = scriptedClient([
      () => {
        throw refusal;
      },
    ]);
    const slowed = scriptedClient([throttled]);

    const permanent = new SesMailer(refused.client, { from: 'b@d.local', sleep: noWait }).send(email);
    const transient = new SesMailer(slowed.client, { from: 'b@d.local', sleep: noWait, maxAttempts: 2 }).send(
      email,
    );

    await expect(permanent).rejects.toMatchObject({
      message: 'Email address is not verified',
      cause: refusal,
    });
    await expect(transient).rejects.toMatchObject({
      message: 'SES kept throttling',
      cause: expect.objectContaining({ name: 'TooManyRequestsException' }),
    });
  });

  it('backs off exponentially with jitter between throttled attempts, 6 attempts by default', async () => {
    const { client, sent } = scriptedClient([throttled]);
    const pauses: number[] = [];
    const mailer = new SesMailer(client, {
      from: 'billing@dunning.local',
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });

    await expect(mailer.send(email)).rejects.toBeInstanceOf(TransientSendError);

    expect(sent).toHaveLength(6);
    expect(pauses).toHaveLength(5);
    pauses.forEach((ms, index) => {
      const full = 200 * 2 ** index;
      expect(ms).toBeGreaterThanOrEqual(full / 2);
      expect(ms).toBeLessThan(full);
    });
  });
});

describe('SES mailer quota', () => {
  const accountClient = (account: () => unknown) => {
    const client = new SESv2Client({ region: 'us-east-1' });
    const asked: string[] = [];
    client.send = (async (command: { constructor: { name: string } }) => {
      asked.push(command.constructor.name);
      if (command.constructor.name === 'GetAccountCommand') return account();
      return { MessageId: 'm' };
    }) as typeof client.send;
    return { client, asked };
  };

  it("reads the account's MaxSendRate once, and sends without waiting for it", async () => {
    const { client, asked } = accountClient(() => ({ SendQuota: { MaxSendRate: 37.5 } }));
    const mailer = new SesMailer(client, { from: 'billing@dunning.local', sleep: noWait });

    await mailer.send(email);
    const rates = await Promise.all([mailer.sendRate(), mailer.sendRate()]);
    await mailer.send(email);

    expect(rates).toEqual([37.5, 37.5]);
    // Pacing is the run's (domain/run/send-quota.ts): the mailer asks for the account only when asked.
    expect(asked).toEqual(['SendEmailCommand', 'GetAccountCommand', 'SendEmailCommand']);
  });

  it('falls back to 14 a second, or the given rate, when GetAccount fails or gives no rate', async () => {
    const failing = accountClient(() => {
      throw new Error('no account');
    });
    const zero = accountClient(() => ({ SendQuota: { MaxSendRate: 0 } }));
    const none = accountClient(() => ({}));

    expect(await new SesMailer(failing.client, { from: 'b@d.local' }).sendRate()).toBe(14);
    expect(await new SesMailer(zero.client, { from: 'b@d.local', fallbackRate: 2 }).sendRate()).toBe(2);
    expect(await new SesMailer(none.client, { from: 'b@d.local' }).sendRate()).toBe(14);
  });
});

describe('SES mailer From header', () => {
  it('quotes a printable display name, escaping its quotes and backslashes, on the bare sending address', () => {
    expect(fromHeader('billing@dunning.local', 'Acme "Best" \\ Co')).toBe(
      '"Acme \\"Best\\" \\\\ Co" <billing@dunning.local>',
    );
    // DUNNING_FROM may carry its own name: only its address is kept under the company's name.
    expect(fromHeader('  Old Name < billing@dunning.local >  ', 'Acme')).toBe(
      '"Acme" <billing@dunning.local>',
    );
  });

  it('encodes a non-ASCII name as an RFC 2047 word', () => {
    expect(fromHeader('billing@dunning.local', 'Müller GmbH')).toBe(
      `=?UTF-8?B?${Buffer.from('Müller GmbH', 'utf8').toString('base64')}?= <billing@dunning.local>`,
    );
  });

  it('keeps a name or address with line breaks on one line, so no header can be added', () => {
    const header = fromHeader(
      'billing@dunning.local\r\nBcc: x@evil.example',
      ' Acme\r\nBcc: y@evil.example ',
    );

    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe('"Acme Bcc: y@evil.example" <billing@dunning.local Bcc: x@evil.example>');
    expect(fromHeader(' billing@dunning.local\n', undefined)).toBe('billing@dunning.local');
    expect(fromHeader('billing@dunning.local', ' \r\n ')).toBe('billing@dunning.local');
  });

  it('sends the reply-to address and the headers on one line too', async () => {
    const { client, sent } = scriptedClient([() => ({ MessageId: 'm-1' })]);

    await new SesMailer(client, { from: 'billing@dunning.local', sleep: noWait }).send({
      ...email,
      replyTo: 'ar@company.example\r\nBcc: z@evil.example',
    });

    expect(sent[0]).toMatchObject({ ReplyToAddresses: ['ar@company.example Bcc: z@evil.example'] });
  });
});
