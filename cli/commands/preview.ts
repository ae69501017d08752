import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

export const registerPreview = (program: Command): void => {
  withCommonOptions(
    program
      .command('preview')
      .description('render the reminder an invoice would get, without sending')
      .argument('<invoiceId>', 'the invoice id as imported')
      .option('--stage <name>', 'render this stage instead of the one that is due')
      .option('--out <file.html>', 'write the HTML to this file'),
  ).action(action(notBuilt('preview', 5)));
};
