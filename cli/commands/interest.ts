import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { buildInvoiceAudit } from '../../functions/shared/composition/ledger-reads.ts';
import { isIsoDate } from '../../functions/shared/domain/calendar.ts';
import type { LatePaymentClaim } from '../../functions/shared/domain/interest/claim.ts';
import { claimForInvoice } from '../../functions/shared/domain/interest/for-invoice.ts';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import { parseAsOf } from '../../functions/shared/domain/run/as-of.ts';
import { NotFoundError } from '../../functions/shared/errors.ts';
import { loadReferenceRates } from '../../functions/shared/reference-rates.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface InterestFlags extends CommonOptions {
  readonly asOf?: string;
}

const HELP = `
Shows what the customer's law lets you claim on a late invoice: the law, each rate period with its
days and rate, the interest to date and the fixed compensation, or why none applies (a consumer, a
disputed or paid invoice, a country without a known law, a half-year the rate table lacks). It
claims nothing: the policy decides whether reminders do. --as-of DATE is that calendar day in the
customer's zone. How it is computed, with sources: docs/late-payment.md.

Examples:
  dunning interest INV-1042
  dunning interest INV-1042 --as-of 2026-03-31 --json`;

/** An ISO date is the customer's own calendar day (noon there); a date-time is that instant. */
const asOfFor = (text: string | undefined, customerZone: string, deploymentZone: string): Date =>
  text !== undefined && isIsoDate(text.trim())
    ? DateTime.fromISO(`${text.trim()}T12:00:00`, { zone: customerZone }).toJSDate()
    : parseAsOf(text, deploymentZone, new Date());

/** The documented fields first (docs/cli.md, `interest`), then what explains them. */
export const interestDocument = (claim: LatePaymentClaim) => ({
  invoiceId: claim.invoiceId,
  currency: claim.currency,
  applicable: claim.applicable,
  reason: claim.reason,
  jurisdiction: claim.jurisdiction,
  law: claim.law,
  periods: claim.periods,
  interest: claim.interest,
  compensation: claim.compensation,
  detail: claim.detail,
  asOf: claim.asOf,
  interestFrom: claim.interestFrom,
  waived: claim.waived,
  settled: claim.settled,
  ratesVersion: claim.ratesVersion,
});

const printHuman = (claim: LatePaymentClaim, locale: string): void => {
  const money = (amount: number) => formatMoney(amount, claim.currency, locale);
  printLine(
    `Invoice ${claim.invoiceId}, as of ${claim.asOf}${claim.jurisdiction ? ` (${claim.jurisdiction})` : ''}`,
  );
  if (!claim.applicable) {
    printLine(`  nothing to claim: ${claim.detail}`);
    return;
  }
  printLine(`  law           ${claim.law}`);
  for (const period of claim.periods) {
    printLine(
      `  ${period.from} to ${period.to}  ${String(period.days).padStart(4)} days at ${period.ratePercent.toFixed(2)} % on ${money(period.principal)}: ${money(period.interest)}`,
    );
  }
  printLine(`  interest      ${money(claim.interest)}${claim.waived.interest ? ' (waived)' : ''}`);
  printLine(`  compensation  ${money(claim.compensation)}${claim.waived.compensation ? ' (waived)' : ''}`);
  if (claim.settled.interest || claim.settled.compensation) {
    printLine(
      `  already paid  ${money(claim.settled.interest)} interest, ${money(claim.settled.compensation)} compensation`,
    );
  }
  printLine(`  ${claim.detail}`);
};

export const registerInterest = (program: Command): void => {
  withCommonOptions(
    program
      .command('interest')
      .description('the statutory late-payment interest and compensation that may be claimed')
      .argument('<invoiceId>', 'the invoice id as imported')
      .option('--as-of <date>', "ISO date (that day in the customer's zone) or date-time; default now")
      .addHelpText('after', HELP),
  ).action(
    action(async (invoiceId: string, flags: InterestFlags) => {
      const rates = loadReferenceRates();
      const context = await createCliContext(flags);
      try {
        const audit = await buildInvoiceAudit(context)(invoiceId);
        if (!audit) throw new NotFoundError(`No invoice "${invoiceId}" in the store`);
        const zone = audit.customer?.timeZone ?? context.config.DUNNING_TIME_ZONE;
        const asOf = asOfFor(flags.asOf, zone, context.config.DUNNING_TIME_ZONE);
        const claim = claimForInvoice({ ...audit, asOf, rates });
        if (flags.json) printJson(interestDocument(claim));
        else printHuman(claim, audit.customer?.locale ?? 'en-US');
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
