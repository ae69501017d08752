import type { Command } from 'commander';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface DemoFlags extends CommonOptions {
  readonly remove?: boolean;
}

export const registerDemo = (program: Command): void => {
  withCommonOptions(
    program
      .command('demo')
      .description('the demo portfolio "dunning dev" seeds into a new store')
      .option('--remove', 'delete the demo customers, invoices, reminders and records, nothing else')
      .addHelpText(
        'after',
        '\nYour own invoices and customers stay as they are. A new store starts without the demo\n' +
          'with DUNNING_DEMO=off or "dunning dev --no-demo".\n\nExample:\n  dunning demo --remove --json',
      ),
  ).action(
    action(async (flags: DemoFlags) => {
      if (!flags.remove) throw new UserInputError('"dunning demo" needs --remove (see --help)');
      const context = await createCliContext(flags);
      try {
        const { removeDemoPortfolio } = await import('../demo/removal.ts');
        const { dynamoDemoStore } = await import('../demo/dynamodb-demo-store.ts');
        const removed = await removeDemoPortfolio(dynamoDemoStore(context.documentClient, context.tableName));
        if (flags.json) printJson({ removed });
        else if (removed.customers + removed.invoices === 0) printLine('No demo portfolio in the store.');
        else
          printLine(
            `Removed the demo portfolio: ${removed.invoices} invoices and ${removed.customers} customers (${removed.records} records with their history).`,
          );
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
