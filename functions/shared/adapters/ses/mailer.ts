import { GetAccountCommand, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { backoffMs, sleep as realSleep } from '../../backoff.ts';
import type { Mailer, OutgoingEmail } from '../../domain/ports.ts';
import { PermanentSendError, TransientSendError } from '../../domain/run/send-errors.ts';
import { neverConnected } from '../endpoints.ts';

export interface SesMailerSettings {
  /** `DUNNING_FROM`. */
  readonly from: string;
  /** The SES configuration set (event publishing, suppression); absent locally. */
  readonly configurationSetName?: string;
  /** Sends per second when GetAccount gives no quota (an emulator without an account). */
  readonly fallbackRate?: number;
  /** Attempts while throttled, the first included. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

type SendOutcome = 'throttled' | 'rejected' | 'unknown';

const THROTTLING = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
]);

/**
 * What an SES error says about the message. Throttling, or a connection never made, means it was not
 * sent and may be retried; any other 4xx is a refusal for good; anything else (5xx, a request time-out,
 * a reset connection) may have been sent.
 */
export const classifySendError = (error: unknown): SendOutcome => {
  // No connection was ever made: the message cannot have left, so it is as good as refused for now.
  if (neverConnected(error)) return 'throttled';
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if ((name && THROTTLING.has(name)) || status === 429) return 'throttled';
  if (status !== undefined && status >= 400 && status < 500) return 'rejected';
  return 'unknown';
};

/** Header values are one line: whatever arrives, CR and LF never reach the wire. */
const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

/** The bare address of `DUNNING_FROM`, which may carry a display name of its own (`Name <addr>`). */
const senderAddress = (from: string): string => /<([^<>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();

/**
 * A display name as a header carries it: an RFC 5322 quoted string when it is printable ASCII, else
 * an RFC 2047 encoded word (SES requires one for a non-ASCII name).
 */
const displayName = (name: string): string =>
  /^[\x20-\x7e]*$/.test(name)
    ? `"${name.replace(/["\\]/g, (char) => `\\${char}`)}"`
    : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;

/** The From header: the company's name on the deployment's sending address. */
export const fromHeader = (from: string, name: string | undefined): string => {
  const clean = name === undefined ? '' : oneLine(name);
  return clean ? `${displayName(clean)} <${senderAddress(oneLine(from))}>` : oneLine(from);
};

/** Pauses between throttled attempts: 200 ms doubling, at most 20 s, with jitter. */
const THROTTLE_BACKOFF = { baseMs: 200, capMs: 20_000 };

/**
 * SES v2 SendEmail, one recipient per call, and the account's MaxSendRate (GetAccount, read once) for
 * the run to pace its sends and size its pool by. Throttling is retried with exponential backoff and
 * jitter; the SDK's own retries must be off (`maxAttempts: 1` on the client), since retrying an
 * ambiguous failure could send twice.
 */
export class SesMailer implements Mailer {
  private rate: Promise<number> | undefined;

  constructor(
    private readonly client: SESv2Client,
    private readonly settings: SesMailerSettings,
  ) {}

  sendRate(): Promise<number> {
    this.rate ??= this.client
      .send(new GetAccountCommand({}))
      .then((account) => account.SendQuota?.MaxSendRate)
      .catch(() => undefined)
      .then((rate) => (rate && rate > 0 ? rate : (this.settings.fallbackRate ?? 14)));
    return this.rate;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const command = new SendEmailCommand({
      FromEmailAddress: fromHeader(this.settings.from, email.fromName),
      Destination: { ToAddresses: [oneLine(email.to)] },
      ...(email.replyTo ? { ReplyToAddresses: [oneLine(email.replyTo)] } : {}),
      ...(this.settings.configurationSetName
        ? { ConfigurationSetName: this.settings.configurationSetName }
        : {}),
      Content: {
        Simple: {
          Subject: { Data: oneLine(email.subject), Charset: 'UTF-8' },
          Body: {
            Html: { Data: email.html, Charset: 'UTF-8' },
            Text: { Data: email.text, Charset: 'UTF-8' },
          },
          Headers: Object.entries(email.headers ?? {}).map(([Name, Value]) => ({
            Name: oneLine(Name),
            Value: oneLine(Value),
          })),
        },
      },
    });
    const attempts = this.settings.maxAttempts ?? 6;
    const sleep = this.settings.sleep ?? realSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        const { MessageId } = await this.client.send(command);
        if (!MessageId) throw new Error('SES accepted the message without a message id');
        return { messageId: MessageId };
      } catch (error) {
        const outcome = classifySendError(error);
        if (outcome === 'rejected') throw new PermanentSendError((error as Error).message, { cause: error });
        if (outcome === 'unknown') throw error;
        if (attempt >= attempts) throw new TransientSendError('SES kept throttling', { cause: error });
        await sleep(backoffMs(attempt, THROTTLE_BACKOFF));
      }
    }
  }
}
