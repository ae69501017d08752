import type { Command } from 'commander';
import { buildCustomerCare } from '../../functions/shared/composition/customer-care.ts';
import type { DisputeOutcome } from '../../functions/shared/domain/customer-care/ports.ts';
import { cleanReason } from '../../functions/shared/domain/customer-care/standing.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { printJson, printLine } from '../output.ts';
import { withContext } from './pause.ts';

interface DisputeFlags extends CommonOptions {
  readonly reason?: string;
}

const document = (outcome: DisputeOutcome, disputed: boolean, reason: string | undefined) => ({
  invoiceId: outcome.invoiceId,
  customerId: outcome.customerId,
  disputed,
  changed: outcome.outcome === 'changed',
  ...(reason ? { reason } : {}),
  ...(outcome.nextActionAt ? { nextActionAt: outcome.nextActionAt } : {}),
});

export const registerDispute = (program: Command): void => {
  withCommonOptions(
    program
      .command('dispute')
      .description('hold reminders for one invoice the customer disputes')
      .argument('<invoiceId>', 'the invoice id as imported')
      .requiredOption('--reason <text>', 'what the customer disputes, for the audit trail'),
  ).action(
    action(async (invoiceId: string, flags: DisputeFlags) =>
      withContext(flags, async (context) => {
        const reason = cleanReason(flags.reason);
        if (!reason) throw new UserInputError('--reason must say what the customer disputes');
        const outcome = await buildCustomerCare(context).dispute(invoiceId, reason);
        if (flags.json) printJson(document(outcome, true, reason));
        else
          printLine(
            outcome.outcome === 'changed'
              ? `Invoice ${invoiceId} disputed: no reminder for it until "dunning undispute ${invoiceId}".`
              : `Invoice ${invoiceId} was already disputed; nothing changed.`,
          );
        return 0;
      }),
    ),
  );
};

export const registerUndispute = (program: Command): void => {
  withCommonOptions(
    program
      .command('undispute')
      .description('end a dispute: the invoice goes back on its reminder schedule')
      .argument('<invoiceId>', 'the invoice id as imported')
      .option('--reason <text>', 'how the dispute was settled, for the audit trail'),
  ).action(
    action(async (invoiceId: string, flags: DisputeFlags) =>
      withContext(flags, async (context) => {
        const reason = cleanReason(flags.reason);
        const outcome = await buildCustomerCare(context).undispute(invoiceId, reason);
        if (flags.json) printJson(document(outcome, false, reason));
        else if (outcome.outcome === 'unchanged')
          printLine(`Invoice ${invoiceId} was not disputed; nothing changed.`);
        else
          printLine(
            `Invoice ${invoiceId} back on its schedule${outcome.nextActionAt ? `: next reminder due ${outcome.nextActionAt}` : ' (nothing more is due)'}.`,
          );
        return 0;
      }),
    ),
  );
};
