import type { Command } from 'commander';
import { parseAsOf } from '../../functions/shared/domain/run/as-of.ts';
import type { CustomerFailure } from '../../functions/shared/domain/run/ports.ts';
import type { OutgoingPreview } from '../../functions/shared/domain/run/run-state.ts';
import { formatRunSummary, pendingImportLine } from '../../functions/shared/domain/run/summary.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';
import { openRun } from '../run-target.ts';

interface RunFlags extends CommonOptions {
  readonly asOf?: string;
  readonly dryRun?: boolean;
  readonly simulate?: boolean;
}

/**
 * A run dated after now would send tomorrow's reminders today and move every invoice past stages
 * its customer has not reached: only a dry run, or `--simulate` on a local test store, may do that.
 */
const refuseFuture = (asOf: Date, now: Date, flags: RunFlags, target: 'local' | 'aws'): void => {
  if (flags.simulate && target === 'aws')
    throw new UserInputError('--simulate works on the local stack only; it is refused with --aws.');
  if (asOf.getTime() <= now.getTime() || flags.dryRun || flags.simulate) return;
  throw new UserInputError(
    `--as-of ${asOf.toISOString()} is later than now; use --dry-run to see what that run would send, or --simulate to run it for real on a local test store.`,
  );
};

const describe = (email: OutgoingPreview): string => {
  const invoices = email.invoices.map((line) => `${line.invoiceNumber} (${line.stage})`).join(', ');
  const when = email.deferredUntil ? ` deferred to ${email.deferredUntil}` : '';
  return `  ${email.to}${when}: ${invoices} - "${email.subject}"`;
};

const describeFailure = (failure: CustomerFailure): string =>
  `  ! customer ${failure.customerId} failed (${failure.invoiceIds.join(', ')}): ${failure.reason}`;

export const registerRun = (program: Command): void => {
  withCommonOptions(
    program
      .command('run')
      .description('one dunning run: send every reminder that has come due, in business hours')
      .option(
        '--as-of <date>',
        'ISO date-time, or ISO date meaning 12:00 that day in DUNNING_TIME_ZONE (default now)',
      )
      .option('--dry-run', 'print what would go out; send and write nothing')
      .option(
        '--simulate',
        'allow an --as-of later than now for real, on the local stack only (a test store)',
      )
      .addHelpText(
        'after',
        '\nExits 1 when any customer failed (the summary is printed all the same).\n\nExamples:\n  dunning run\n  dunning run --as-of 2026-03-10 --dry-run\n  dunning run --as-of 2026-04-01 --simulate',
      ),
  ).action(
    action(async (flags: RunFlags) => {
      const context = await createCliContext(flags);
      try {
        const now = new Date();
        const asOf = parseAsOf(flags.asOf, context.config.DUNNING_TIME_ZONE, now);
        refuseFuture(asOf, now, flags, context.target);
        const local = await openRun(context);
        try {
          const outcome = await local.runAll({ asOf, dryRun: flags.dryRun ?? false });
          if (flags.json) {
            printJson({
              runId: outcome.runId,
              ...outcome.summary,
              ...(outcome.summary.dryRun ? { outgoing: outcome.outgoing } : {}),
              ...(outcome.failures.length ? { failures: outcome.failures } : {}),
              ...(outcome.pendingImports.length ? { pendingImports: outcome.pendingImports } : {}),
            });
          } else {
            if (outcome.summary.dryRun) {
              printLine(outcome.outgoing.length ? 'Would send:' : 'Nothing would go out.');
              for (const email of outcome.outgoing) printLine(describe(email));
              printLine();
            }
            printLine(formatRunSummary(outcome.summary));
            for (const failure of outcome.failures) printLine(describeFailure(failure));
            for (const pending of outcome.pendingImports) printLine(pendingImportLine(pending));
          }
          // Every customer handled is 0; any that failed is 1, so a scheduler or script notices. An
          // import the run could not complete is said, never a failure of the run: it never blocks it.
          return outcome.summary.failed > 0 ? 1 : 0;
        } finally {
          local.close();
        }
      } finally {
        context.close();
      }
    }),
  );
};
