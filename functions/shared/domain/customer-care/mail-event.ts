import * as z from '../../validation.ts';
import type { CareAction } from './events.ts';

/**
 * SES event publishing through EventBridge: the configuration set sends each BOUNCE and COMPLAINT
 * event to the default bus as `source: aws.ses`, with the SES event record as `detail`. Only the
 * fields the ledger acts on are read; the rest (headers, diagnostics) is personal data left alone.
 */
const text = (minimum: number) => z.string().check(z.minLength(minimum));
const instant = z.iso.datetime({ offset: true });
const recipient = z.object({ emailAddress: z.string().check(z.minLength(3), z.maxLength(320)) });
const recipients = z.array(recipient).check(z.minLength(1));
const mail = z.object({ messageId: text(1) });

const bounceDetail = z.object({
  eventType: z.literal('Bounce'),
  bounce: z.object({
    /** `Permanent` (hard), `Transient` (soft) or `Undetermined`. */
    bounceType: text(1),
    bounceSubType: z.optional(z.string()),
    bouncedRecipients: recipients,
    timestamp: instant,
    feedbackId: z.optional(z.string()),
  }),
  mail,
});

const complaintDetail = z.object({
  eventType: z.literal('Complaint'),
  complaint: z.object({
    complainedRecipients: recipients,
    timestamp: instant,
    feedbackId: z.optional(z.string()),
    complaintFeedbackType: z.optional(z.string()),
  }),
  mail,
});

export const sesMailEventSchema = z.object({
  id: text(1),
  source: z.literal('aws.ses'),
  'detail-type': text(1),
  detail: z.discriminatedUnion('eventType', [bounceDetail, complaintDetail]),
});
export type SesMailEvent = z.infer<typeof sesMailEventSchema>;

/** What one recipient of the event means for the customer reached at that address. */
export interface MailVerdict {
  /** Lower case, without a display name: how the customer lookup by address is keyed. */
  readonly email: string;
  readonly action: Extract<CareAction, 'bounced' | 'soft_bounced' | 'complained'>;
  readonly at: string;
  readonly reason: string;
  /** SES's feedback id, else the message id: names the event in the audit trail. */
  readonly reference: string;
}

/** `Jane <Jane@Example.com>` and `jane@example.com` name the same mailbox for the lookup. */
export const normaliseAddress = (address: string): string => {
  const angle = /<([^<>]+)>\s*$/.exec(address);
  return (angle?.[1] ?? address).trim().toLowerCase();
};

/**
 * A hard bounce stops reminders to that customer (bounced), a complaint too (opted out of reminders);
 * a soft or undetermined bounce is only recorded: SES already retried it, and the next reminder may
 * well arrive.
 */
export const mailVerdicts = (event: SesMailEvent): MailVerdict[] => {
  const { detail } = event;
  if (detail.eventType === 'Bounce') {
    const { bounce } = detail;
    const hard = bounce.bounceType === 'Permanent';
    const reason = `${bounce.bounceType} bounce${bounce.bounceSubType ? ` (${bounce.bounceSubType})` : ''}`;
    return bounce.bouncedRecipients.map((who) => ({
      email: normaliseAddress(who.emailAddress),
      action: hard ? 'bounced' : 'soft_bounced',
      at: new Date(bounce.timestamp).toISOString(),
      reason,
      reference: bounce.feedbackId ?? detail.mail.messageId,
    }));
  }
  const { complaint } = detail;
  return complaint.complainedRecipients.map((who) => ({
    email: normaliseAddress(who.emailAddress),
    action: 'complained',
    at: new Date(complaint.timestamp).toISOString(),
    reason: `complaint${complaint.complaintFeedbackType ? ` (${complaint.complaintFeedbackType})` : ''}`,
    reference: complaint.feedbackId ?? detail.mail.messageId,
  }));
};
