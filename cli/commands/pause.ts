import type { Command } from 'commander';
import { buildCustomerCare } from '../../functions/shared/composition/customer-care.ts';
import { buildAnswerLedger } from '../../functions/shared/composition/ledger-reads.ts';
import { localDate } from '../../functions/shared/domain/calendar.ts';
import {
  type CareStanding,
  cleanReason,
  parsePauseUntil,
  standingOf,
} from '../../functions/shared/domain/customer-care/standing.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { type CliContext, createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface PauseFlags extends CommonOptions {
  readonly until: string;
  readonly reason?: string;
}

interface ResumeFlags extends CommonOptions {
  readonly reason?: string;
}

/** The operator acted on the customer: the payment plans they asked for from a reminder are settled. */
const resolvePlanRequests = (context: CliContext, customerId: string) =>
  buildAnswerLedger(context).resolvePlanRequests(customerId);

/** Runs `work` on the command's context and closes it whatever happens. */
export const withContext = async <T>(flags: CommonOptions, work: (context: CliContext) => Promise<T>) => {
  const context = await createCliContext(flags);
  try {
    return await work(context);
  } finally {
    context.close();
  }
};

const planNote = (resolved: readonly string[]): string =>
  resolved.length ? ` Payment plan request settled for ${resolved.join(', ')}.` : '';

const describeStanding = (standing: CareStanding): string => {
  if (standing.status === 'paused')
    return `paused until ${standing.pausedUntil}${standing.reason ? ` (${standing.reason})` : ''}: no reminder before that day`;
  if (standing.status === 'active') return 'active: reminders resume with the next run';
  return `${standing.status}${standing.pausedUntil ? `, also paused until ${standing.pausedUntil}` : ''}: no reminders (dunning resume restarts them)`;
};

export const registerPause = (program: Command): void => {
  withCommonOptions(
    program
      .command('pause')
      .description('hold reminders for one customer (promise to pay, dispute, payment plan)')
      .argument('<customerId>', 'the customer id as imported')
      .requiredOption('--until <date>', 'ISO date on which reminders resume')
      .option('--reason <text>', 'why, for the audit trail')
      .addHelpText(
        'after',
        '\nExample:\n  dunning pause C-1001 --until 2026-05-01 --reason "payment plan agreed"',
      ),
  ).action(
    action(async (customerId: string, flags: PauseFlags) =>
      withContext(flags, async (context) => {
        const now = new Date();
        const until = parsePauseUntil(flags.until, localDate(now, context.config.DUNNING_TIME_ZONE));
        const reason = cleanReason(flags.reason);
        const customer = await buildCustomerCare(context).pause({
          customerId,
          until,
          ...(reason ? { reason } : {}),
        });
        const resolved = await resolvePlanRequests(context, customerId);
        const standing = standingOf(customer, localDate(now, customer.timeZone));
        if (flags.json)
          printJson({ ...standing, ...(resolved.length ? { planRequestsResolved: resolved } : {}) });
        else printLine(`Customer ${customerId} ${describeStanding(standing)}.${planNote(resolved)}`);
        return 0;
      }),
    ),
  );
};

export const registerResume = (program: Command): void => {
  withCommonOptions(
    program
      .command('resume')
      .description('restart reminders for a customer: clears a pause, an opt-out or a bounce')
      .argument('<customerId>', 'the customer id as imported')
      .option('--reason <text>', 'why, for the audit trail (e.g. "customer asked by phone")'),
  ).action(
    action(async (customerId: string, flags: ResumeFlags) =>
      withContext(flags, async (context) => {
        const reason = cleanReason(flags.reason);
        const { customer, previous, changed } = await buildCustomerCare(context).resume(customerId, reason);
        const resolved = await resolvePlanRequests(context, customerId);
        const today = localDate(new Date(), customer.timeZone);
        const standing = standingOf(customer, today);
        const before = standingOf(previous, today);
        if (flags.json)
          printJson({
            ...standing,
            previous: before,
            changed: changed || resolved.length > 0,
            ...(resolved.length ? { planRequestsResolved: resolved } : {}),
          });
        else if (!changed && !resolved.length)
          printLine(`Customer ${customerId} was not paused, opted out or bounced; nothing changed.`);
        else
          printLine(
            `Customer ${customerId} ${describeStanding(standing)} (was ${before.status}).${planNote(resolved)}`,
          );
        return 0;
      }),
    ),
  );
};
