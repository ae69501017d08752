import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { buildChargeLedger } from '../../functions/shared/composition/ledger-reads.ts';
import { parseWaiveTarget } from '../../functions/shared/domain/charges.ts';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import { waive } from '../../functions/shared/domain/waive.ts';
import { loadReferenceRates } from '../../functions/shared/reference-rates.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface WaiveFlags extends CommonOptions {
  readonly fee?: string;
  readonly interest?: boolean;
  readonly compensation?: boolean;
  readonly reason: string;
}

const HELP = `
A waived charge stays on the invoice's ledger with who waived it, when and why ("dunning show"
lists it), and is never claimed again: no reminder names it, "dunning interest" counts it as zero.
Waiving a stage's fee lowers what is outstanding; interest and compensation can be waived before
any reminder claimed them.

Examples:
  dunning waive INV-1042 --fee third --reason "goodwill, first late payment in 6 years"
  dunning waive INV-1042 --interest --reason "paid late because our invoice went to the wrong address"`;

/** Who waived it: the operator's login on this machine, as an audit trail names people. */
const operator = (): string => {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    // No passwd entry (some containers): still an operator, just not a named one.
    return 'operator';
  }
};

export const registerWaive = (program: Command): void => {
  withCommonOptions(
    program
      .command('waive')
      .description('waives one ledger entry of an invoice for good (a stage fee, interest, compensation)')
      .argument('<invoiceId>', 'the invoice id as imported')
      .option('--fee <stage>', "the late fee that stage's reminder charged")
      .option('--interest', 'the statutory late-payment interest')
      .option('--compensation', 'the fixed compensation for recovery costs')
      .requiredOption('--reason <text>', 'why, for the audit trail')
      .addHelpText('after', HELP),
  ).action(
    action(async (invoiceId: string, flags: WaiveFlags) => {
      const target = parseWaiveTarget(flags);
      const rates = loadReferenceRates();
      const context = await createCliContext(flags);
      try {
        const ledger = buildChargeLedger(context);
        const result = await waive(
          ledger,
          { invoiceId, target, reason: flags.reason, by: operator() },
          rates,
        );
        const { waived } = result;
        if (flags.json) {
          printJson({
            invoiceId,
            waived: { ...waived, key: target.kind === 'fee' ? `fee:${target.stage}` : target.kind },
            feesCharged: result.feesCharged,
            status: result.status,
          });
        } else {
          printLine(
            `Invoice ${invoiceId}: ${waived.kind}${waived.stage ? ` (${waived.stage})` : ''} of ${formatMoney(waived.amount, result.currency, 'en-US')} waived by ${waived.waived?.by}; it will not be claimed again.`,
          );
        }
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
