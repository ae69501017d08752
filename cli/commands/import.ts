import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

export const registerImport = (program: Command): void => {
  withCommonOptions(
    program
      .command('import')
      .description('import invoices and customers from a CSV or JSON file; all or nothing')
      .argument('<file>', 'CSV (header row, any column order) or JSON (array of objects)')
      .option('--dry-run', 'validate and report what would change; write nothing'),
  ).action(action(notBuilt('import', 4)));
};
