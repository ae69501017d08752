import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

export const registerShow = (program: Command): void => {
  withCommonOptions(
    program
      .command('show')
      .description('the invoice with its payments, reminders and skips (the audit trail)')
      .argument('<invoiceId>', 'the invoice id as imported'),
  ).action(action(notBuilt('show', 5)));
};
