import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

export const registerPause = (program: Command): void => {
  withCommonOptions(
    program
      .command('pause')
      .description('hold reminders for one customer (promise to pay, dispute, payment plan)')
      .argument('<customerId>', 'the customer id as imported')
      .requiredOption('--until <date>', 'ISO date on which reminders resume')
      .option('--reason <text>', 'why, for the audit trail'),
  ).action(action(notBuilt('pause', 7)));
};

export const registerResume = (program: Command): void => {
  withCommonOptions(
    program
      .command('resume')
      .description('restart reminders for a paused customer')
      .argument('<customerId>', 'the customer id as imported'),
  ).action(action(notBuilt('resume', 7)));
};
