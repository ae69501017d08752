/**
 * What the domain needs from the outside world. Adapters under functions/shared/adapters implement
 * these against DynamoDB, SES v2 and EventBridge Scheduler; tests reach the emulators through the
 * same adapters. No AWS import belongs in this folder.
 */

export type Clock = () => Date;

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers (List-Unsubscribe); values are already free of CR/LF. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where the customer's reply goes (`Reply-To`): a person, not the sending address. */
  readonly replyTo?: string;
  /** The sender's display name (the company's), shown with the deployment's sending address. */
  readonly fromName?: string;
}

export interface Mailer {
  /** Sends one message to one recipient; resolves with the provider's message id. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  /**
   * Messages per second the provider accepts from this account (SES: GetAccount's
   * `SendQuota.MaxSendRate`). A run holds its sends under it and sizes its pool from it; a mailer
   * without it is not paced, and the run works its least number of customers at once.
   */
  sendRate?(): Promise<number>;
}

export interface HealthProbe {
  readonly name: string;
  check(): Promise<boolean>;
}
