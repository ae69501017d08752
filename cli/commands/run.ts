import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

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
  ).action(action(notBuilt('run', 5)));
};
