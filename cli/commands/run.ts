import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { Command } from 'commander';
import { createLocalRun } from '../../functions/run/local.ts';
import { parseAsOf } from '../../functions/shared/domain/run/as-of.ts';
import type { OutgoingPreview } from '../../functions/shared/domain/run/remind-customer.ts';
import { formatRunSummary } from '../../functions/shared/domain/run/summary.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { loadWebhookSecrets } from '../local/secrets.ts';
import { printJson, printLine } from '../output.ts';

interface RunFlags extends CommonOptions {
  readonly asOf?: string;
  readonly dryRun?: boolean;
}

const describe = (email: OutgoingPreview): string => {
  const invoices = email.invoices.map((line) => `${line.invoiceNumber} (${line.stage})`).join(', ');
  const when = email.deferredUntil ? ` deferred to ${email.deferredUntil}` : '';
  return `  ${email.to}${when}: ${invoices}`;
};

export const registerRun = (program: Command): void => {
  withCommonOptions(
    program
      .command('run')
      .description('one dunning run: send every reminder that has come due, in business hours')
      .option(
        '--as-of <date>',
        'ISO date-time, or ISO date meaning 12:00 that day in DUNNING_TIME_ZONE (default now)',
      )
      .option('--dry-run', 'print what would go out; send and write nothing'),
  ).action(
    action(async (flags: RunFlags) => {
      const context = await createCliContext(flags);
      try {
        const asOf = parseAsOf(flags.asOf, context.config.DUNNING_TIME_ZONE, new Date());
        // --aws runs the deployed run's code here, configured from the stack's outputs (cli/aws-run.ts).
        const local =
          context.target === 'aws'
            ? await (await import('../aws-run.ts')).createAwsCliRun(context, process.env, {
                cloudFormation: () => new CloudFormationClient({}),
              })
            : createLocalRun({ ...context, optOutSecret: loadWebhookSecrets(context.config).optOut });
        try {
          const outcome = await local.runAll({ asOf, dryRun: flags.dryRun ?? false });
          if (flags.json) {
            printJson({
              ...outcome.summary,
              ...(outcome.summary.dryRun ? { outgoing: outcome.outgoing } : {}),
            });
          } else {
            if (outcome.summary.dryRun) {
              printLine(outcome.outgoing.length ? 'Would send:' : 'Nothing would go out.');
              for (const email of outcome.outgoing) printLine(describe(email));
              printLine();
            }
            printLine(formatRunSummary(outcome.summary));
          }
        } finally {
          local.close();
        }
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
