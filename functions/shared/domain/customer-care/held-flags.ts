import { UserInputError } from '../../errors.ts';
import type { Invoice } from '../model.ts';
import { FLAG_AMOUNT_INEXACT, FLAG_CURRENCY_MISMATCH } from '../payments/event.ts';
import type { Policy } from '../policy.ts';
import { nextActionAt } from '../schedule.ts';
import { DISPUTED_FLAG } from './events.ts';

/**
 * Flags that hold an invoice until an operator has settled their cause outside the ledger, and that
 * `dunning resolve` clears. A dispute has its own `undispute`, which also drops the dispute's reason.
 */
export const RESOLVABLE_FLAGS = [FLAG_CURRENCY_MISMATCH, FLAG_AMOUNT_INEXACT] as const;
export type ResolvableFlag = (typeof RESOLVABLE_FLAGS)[number];

const isResolvable = (flag: string): flag is ResolvableFlag =>
  (RESOLVABLE_FLAGS as readonly string[]).includes(flag);

export const parseResolvableFlag = (text: string): ResolvableFlag => {
  const flag = text.trim();
  if (isResolvable(flag)) return flag;
  if (flag === DISPUTED_FLAG)
    throw new UserInputError('--flag disputed is cleared with "dunning undispute INVOICE_ID"');
  throw new UserInputError(
    `--flag "${text}" is not a flag an operator resolves; one of: ${RESOLVABLE_FLAGS.join(', ')}`,
  );
};

/** Asked to clear a flag the invoice does not carry: nothing to resolve, most likely the wrong invoice. */
export const flagNotCarried = (invoiceId: string, flag: string, flags: readonly string[]) =>
  Object.assign(
    new UserInputError(
      `Invoice "${invoiceId}" does not carry the flag "${flag}" (its flags: ${flags.length ? flags.join(', ') : 'none'})`,
    ),
    { details: { invoiceId, flag, flags } },
  );

/**
 * The invoice once `flag` is cleared: its other flags, and when it is due on its schedule again (the
 * next unclaimed stage's day, as the import and payments place it); none while another flag still
 * holds it or nothing more is owed.
 */
export const withoutFlag = (
  invoice: Invoice,
  flag: string,
  customerTimeZone: string,
  policy: Policy,
): { readonly flags: string[]; readonly next: Date | undefined } => {
  const flags = invoice.flags.filter((held) => held !== flag);
  return { flags, next: nextActionAt({ ...invoice, flags }, customerTimeZone, policy) };
};
