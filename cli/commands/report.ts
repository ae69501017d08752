import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

export const registerReport = (program: Command): void => {
  withCommonOptions(
    program
      .command('report')
      .description('receivables aging per currency, reminders sent, amounts recovered')
      .option('--as-of <date>', 'ISO date (default today in DUNNING_TIME_ZONE)')
      .option('--html <file>', 'also write the report as an HTML page'),
  ).action(action(notBuilt('report', 7)));
};
