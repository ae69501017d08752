import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { buildRunJournal } from '../../functions/shared/composition/ledger-reads.ts';
import { type RunEntry, runEntry } from '../../functions/shared/domain/run/run-record.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface RunsFlags extends CommonOptions {
  readonly limit: number;
}

const MAX_LIMIT = 500;

const parseLimit = (text: string): number => {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
};

const skippedTotal = (entry: RunEntry): number =>
  Object.values(entry.skipped).reduce((total, count) => total + count, 0);

const printRuns = (entries: readonly RunEntry[]): void => {
  if (entries.length === 0) {
    printLine('No runs yet.');
    return;
  }
  printLine(
    ['started', 'status', 'trigger', 'sent', 'emails', 'deferred', 'skipped', 'failed', 'unknown', 'run']
      .map((title, index) => title.padEnd([25, 11, 9, 6, 7, 9, 8, 7, 8, 0][index] ?? 0))
      .join(''),
  );
  for (const entry of entries) {
    const cells = [
      entry.startedAt.padEnd(25),
      entry.status.padEnd(11),
      entry.trigger.padEnd(9),
      String(entry.sent).padEnd(6),
      String(entry.emails).padEnd(7),
      String(entry.deferred).padEnd(9),
      String(skippedTotal(entry)).padEnd(8),
      String(entry.failed).padEnd(7),
      String(entry.unknownOutcome).padEnd(8),
      entry.runId,
    ];
    printLine(cells.join(''));
    if (entry.error) printLine(`  ! ${entry.error}`);
  }
};

export const registerRuns = (program: Command): void => {
  withCommonOptions(
    program
      .command('runs')
      .description('the latest dunning runs, newest first, with their status and summary')
      .option('--limit <n>', `how many runs, 1 to ${MAX_LIMIT}`, parseLimit, 20)
      .addHelpText(
        'after',
        '\nStatus: running (an invocation works it now), continuing (between two parts of a long run),\n' +
          'done, failed (it stopped on an error, or its invocation died).\n\n' +
          'Examples:\n  dunning runs\n  dunning runs --limit 5 --json\n  dunning runs --aws',
      ),
  ).action(
    action(async (flags: RunsFlags) => {
      const context = await createCliContext(flags);
      try {
        const now = new Date();
        const journal = buildRunJournal(context);
        const entries = (await journal.latest(flags.limit)).map((record) => runEntry(record, now));
        if (flags.json) printJson({ runs: entries });
        else printRuns(entries);
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
