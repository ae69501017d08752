import type { Command } from 'commander';
import { buildCustomerCare } from '../../functions/shared/composition/customer-care.ts';
import {
  parseResolvableFlag,
  RESOLVABLE_FLAGS,
} from '../../functions/shared/domain/customer-care/held-flags.ts';
import type { ResolveOutcome } from '../../functions/shared/domain/customer-care/ports.ts';
import { cleanReason } from '../../functions/shared/domain/customer-care/standing.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { printJson, printLine } from '../output.ts';
import { withContext } from './pause.ts';

interface ResolveFlags extends CommonOptions {
  readonly flag: string;
  readonly reason: string;
}

const HELP = `
The flagged payment stays recorded and is never applied: settle it outside dunning first, e.g.
refund it to the customer, or have it sent again in the invoice's currency (a new payment, applied
as usual). Resolving only lets reminders go on; "dunning show" lists who resolved it, when and why.

Example:
  dunning resolve INV-1042 --flag currency_mismatch --reason "EUR payment refunded, ticket 912"`;

const describe = (outcome: ResolveOutcome): string => {
  const cleared = `Invoice ${outcome.invoiceId}: ${outcome.flag} resolved`;
  if (outcome.flags.length) return `${cleared}; still held by ${outcome.flags.join(', ')}.`;
  return `${cleared}, back on its schedule${outcome.nextActionAt ? `: next reminder due ${outcome.nextActionAt}` : ' (nothing more is due)'}.`;
};

export const registerResolve = (program: Command): void => {
  withCommonOptions(
    program
      .command('resolve')
      .description('clear a flag holding an invoice (a payment in another currency) once settled')
      .argument('<invoiceId>', 'the invoice id as imported')
      .requiredOption('--flag <name>', `the flag to clear: ${RESOLVABLE_FLAGS.join(', ')}`)
      .requiredOption('--reason <text>', 'how it was settled, for the audit trail')
      .addHelpText('after', HELP),
  ).action(
    action(async (invoiceId: string, flags: ResolveFlags) => {
      const flag = parseResolvableFlag(flags.flag);
      const reason = cleanReason(flags.reason);
      if (!reason) throw new UserInputError('--reason must say how the flag was settled');
      return withContext(flags, async (context) => {
        const outcome = await buildCustomerCare(context).resolve({ invoiceId, flag, reason });
        if (flags.json) printJson({ ...outcome, resolved: true, reason });
        else printLine(describe(outcome));
        return 0;
      });
    }),
  );
};
