import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { registerDev } from './commands/dev.ts';
import { registerDispute, registerUndispute } from './commands/dispute.ts';
import { registerImport } from './commands/import.ts';
import { registerInterest } from './commands/interest.ts';
import { registerCustomers, registerInvoices } from './commands/listing.ts';
import { registerPause, registerResume } from './commands/pause.ts';
import { registerPreview } from './commands/preview.ts';
import { registerReport } from './commands/report.ts';
import { registerResolve } from './commands/resolve.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerShow } from './commands/show.ts';
import { registerWaive } from './commands/waive.ts';
import { endQuietlyWhenOutputCloses } from './output.ts';

export const buildProgram = (): Command => {
  const program = new Command('dunning')
    .description(
      'Collects overdue invoices: daily dunning runs, reminders in business hours, stopped by payments.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`dunning: ${text.replace(/^error: /, '')}`),
    });
  for (const register of [
    registerDev,
    registerImport,
    registerRun,
    registerRuns,
    registerShow,
    registerPreview,
    registerReport,
    registerPause,
    registerResume,
    registerDispute,
    registerUndispute,
    registerResolve,
    registerDemo,
    registerInvoices,
    registerCustomers,
    registerInterest,
    registerWaive,
  ]) {
    register(program);
  }
  return program;
};

/** Runs the CLI and resolves with its exit code (the bin sets it; tests call this directly). */
export const main = async (argv: readonly string[]): Promise<number> => {
  endQuietlyWhenOutputCloses();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0; usage errors with 1.
      return error.exitCode === 0 ? 0 : 1;
    }
    throw error;
  }
};
