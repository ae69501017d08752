import { createHash } from 'node:crypto';
import { DUE_INDEX_SHARDS } from '../../tables.ts';

/**
 * Key builders for the Ledger table: the one place that spells `INVOICE#...` and friends. The access
 * path each serves is in docs/data-model.md.
 */
export const invoiceKey = (invoiceId: string) => ({ pk: `INVOICE#${invoiceId}`, sk: 'INVOICE' });
export const customerKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' });

/** GSI byCustomer attributes an invoice item carries. */
export const customerIndexKeys = (customerId: string, invoiceId: string) => ({
  customerPk: `CUSTOMER#${customerId}`,
  customerSk: `INVOICE#${invoiceId}`,
});

export const paymentKey = (invoiceId: string, paymentId: string) => ({
  pk: `INVOICE#${invoiceId}`,
  sk: `PAYMENT#${paymentId}`,
});
export const reminderKey = (invoiceId: string, stage: string) => ({
  pk: `INVOICE#${invoiceId}`,
  sk: `REMINDER#${stage}`,
});
export const skipKey = (invoiceId: string, at: string, runId: string) => ({
  pk: `INVOICE#${invoiceId}`,
  sk: `SKIP#${at}#${runId}`,
});
export const unmatchedEventKey = (invoiceId: string, eventId: string) => ({
  pk: `UNMATCHED#${invoiceId}`,
  sk: `EVENT#${eventId}`,
});

/** Which invoice a payment's money id (`stripe:pi_...`) belongs to, and the refunds waiting for it. */
export const paymentRefKey = (ref: string) => ({ pk: `REF#${ref}`, sk: 'REF' });

/** A customer-care record (pause, opt-out, bounce, dispute...) in the partition of what it concerns. */
export const careKey = (owner: { pk: string }, at: string, action: string) => ({
  pk: owner.pk,
  sk: `CARE#${at}#${action}`,
});
/** Finds customers by the address reminders go to (SES bounces and complaints name only the address). */
export const customerEmailKey = (normalisedEmail: string, customerId: string) => ({
  pk: `EMAIL#${normalisedEmail}`,
  sk: `CUSTOMER#${customerId}`,
});
/** A customer's answer from a reminder's link, in their partition, in time order. */
export const answerKey = (customerId: string, at: string, answerId: string) => ({
  pk: `CUSTOMER#${customerId}`,
  sk: `ANSWER#${at}#${answerId}`,
});
/** How many answers one link has taken (the per-link limit); expires with the link. */
export const answerLinkKey = (customerId: string, linkId: string) => ({
  pk: `CUSTOMER#${customerId}`,
  sk: `LINK#${linkId}`,
});
export const ANSWER_PREFIX = 'ANSWER#';
export const CARE_PREFIX = 'CARE#';
export const INVOICE_ITEM_PREFIX = 'INVOICE#';
export const PAYMENT_PREFIX = 'PAYMENT#';
export const REMINDER_PREFIX = 'REMINDER#';
export const SKIP_PREFIX = 'SKIP#';

/** The due-index shard an invoice lives in: stable, spread evenly by a hash of its id. */
export const dueShardOf = (invoiceId: string): string => {
  const hash = createHash('sha1').update(invoiceId).digest();
  return `DUE#${hash.readUInt32BE(0) % DUE_INDEX_SHARDS}`;
};
export const allDueShards = (): string[] =>
  Array.from({ length: DUE_INDEX_SHARDS }, (_, shard) => `DUE#${shard}`);

/** GSI due attributes; `dueAt` sorts by instant, the id keeps equal instants distinct. */
export const dueIndexKeys = (invoiceId: string, nextActionAt: Date) => ({
  dueShard: dueShardOf(invoiceId),
  dueAt: `${nextActionAt.toISOString()}#${invoiceId}`,
});

/** Upper bound for a due-index query: everything due at or before this instant. */
export const dueUpTo = (asOf: Date): string => `${asOf.toISOString()}#\uffff`;

/** Epoch seconds for the TTL attribute, `days` from now. */
export const expiresInDays = (now: Date, days: number): number =>
  Math.floor(now.getTime() / 1000) + days * 86_400;

/** dynalite keeps expired items, and AWS deletes them only eventually: every read drops them itself. */
export const isExpired = (item: { expiresAt?: unknown }, now: Date): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt <= Math.floor(now.getTime() / 1000);

/** Claim and idempotency records of the run (checkpoints, hand-off digests): one item per scope and key. */
export const claimKey = (scope: string, key: string) => ({ pk: `CLAIM#${scope}`, sk: key });

/** A run's record (`dunning runs`), listed newest first by the byKind index. */
export const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });
export const RUN_KIND = 'RUN';

/** Work deferred to a customer's next business opening, kept in the store when no Scheduler exists (local). */
export const DEFERRAL_KIND = 'DEFERRAL';
export const deferralKey = (customerId: string, at: Date) => ({
  pk: `DEFERRAL#${customerId}`,
  sk: `AT#${at.toISOString()}`,
});
/** GSI byKind attributes of a deferral: listed by the instant it falls due. */
export const deferralKindKeys = (customerId: string, at: Date) => ({
  kind: DEFERRAL_KIND,
  kindSk: `${at.toISOString()}#${customerId}`,
});

/** An import's record (`sk = IMPORT`) and its staged rows, all under one partition (see docs/data-model.md). */
export const importKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' });
export const IMPORT_PK_PREFIX = 'IMPORT#';
export type StagedPart = 'CUSTOMER' | 'INVOICE';
/** Zero-padded file row so that a query returns staged rows in file order. */
export const importStagedKey = (importId: string, part: StagedPart, row: number) => ({
  pk: `IMPORT#${importId}`,
  sk: `${part}#${String(row).padStart(10, '0')}`,
});
/** GSI byKind partition of import records; `kindSk = <status>#<startedAt>#<importId>`. */
export const IMPORT_KIND = 'IMPORT';
