import type { Command } from 'commander';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { localWebhookRoutes } from '../http/webhook-routes.ts';
import type { DevHooks, DevOutput } from '../local/dev-stack.ts';
import { listenForShutdown } from '../local/shutdown-signal.ts';
import { printJson, printLine } from '../output.ts';

/**
 * Where later capabilities plug into `dunning dev`: the demo seed (import), the daily run (run) and
 * the webhook routes (payments). Each is optional; until one is wired here, its step is skipped.
 */
const devHooks: DevHooks = {
  httpRoutes: async (services) => {
    const { localCareRoutes } = await import('../http/care-routes.ts');
    const { localRespondRoutes } = await import('../http/respond-routes.ts');
    return [
      ...localWebhookRoutes(services, services.secrets),
      ...(await localCareRoutes(services, services.secrets)),
      ...(await localRespondRoutes(services, services.secrets)),
    ];
  },
  seedDemo: async (services) => {
    const { seedDemoPortfolio } = await import('../demo/portfolio.ts');
    return seedDemoPortfolio(services);
  },
  runDunning: async (services, asOf) => {
    const { runLocalDunning } = await import('../../functions/run/local.ts');
    return runLocalDunning(services, services.secrets, asOf);
  },
  runDueDeferrals: async (services, now) => {
    const { createLocalRun } = await import('../../functions/run/local.ts');
    const { formatRunSummary } = await import('../../functions/shared/domain/run/summary.ts');
    const local = createLocalRun(services, services.secrets);
    try {
      const summary = await local.runDueDeferrals(now);
      return summary && `Deferred reminders whose business hours came:\n${formatRunSummary(summary)}`;
    } finally {
      local.close();
    }
  },
};

/** The stack must be down well inside the 5 s a developer waits after Ctrl-C (README, Running locally). */
const STOP_DEADLINE_MS = 4_000;

export const registerDev = (program: Command): void => {
  withCommonOptions(
    program
      .command('dev')
      .description('the local stack: DynamoDB (dynalite), SES v2 emulator and webhook server on 127.0.0.1')
      .option('--no-demo', 'start a new store empty, without the demo portfolio (same as DUNNING_DEMO=off)')
      .addHelpText(
        'after',
        '\nPorts: DUNNING_DYNAMODB_PORT (8000), DUNNING_SES_PORT (8005), DUNNING_HTTP_PORT (3000).\n' +
          'Data: DUNNING_DATA_DIR (.dunning), kept across restarts. Ctrl-C stops it cleanly.\n' +
          'A new store gets the demo portfolio unless DUNNING_DEMO=off or --no-demo; "dunning demo --remove"\n' +
          'deletes it later, leaving your own invoices as they are.',
      ),
  ).action(
    action(async (options: CommonOptions & { readonly demo?: boolean }) => {
      if (options.aws)
        throw new UserInputError('"dunning dev" runs the local stack only; --aws does not apply.');
      const shutdown = listenForShutdown((signal) => {
        process.stderr.write(`dunning: ${signal} again, stopping without waiting\n`);
        process.exit(1);
      });
      try {
        const settings = loadConfig(localConfigSchema);
        const config = options.demo === false ? { ...settings, DUNNING_DEMO: 'off' as const } : settings;
        // Loaded here, not at the top: the emulators, the SDK and Hono would slow every other command's start.
        const { startDevStack } = await import('../local/dev-stack.ts');
        const { devSummaryJson, devSummaryLines } = await import('../local/dev-summary.ts');
        const stack = await startDevStack(config, devHooks);
        // In --json mode stdout carries the one summary document; everything else goes to stderr.
        const output: DevOutput = {
          line: options.json ? (text) => process.stderr.write(`${text}\n`) : printLine,
          problem: (text) => process.stderr.write(`dunning: ${text}\n`),
        };
        if (options.json) printJson(devSummaryJson(stack));
        else for (const line of devSummaryLines(stack)) printLine(line);
        output.line('Ready. Ctrl-C stops it.');
        void stack.startRuns(output).then(() => {
          const next = stack.nextRun();
          if (next) output.line(`Next dunning run: ${next.toISOString()} (${config.DUNNING_TIME_ZONE})`);
        });

        const signal = await shutdown.received;
        output.line(`${signal}: stopping...`);
        const stopped = await Promise.race([
          stack.stop().then(() => true),
          new Promise<false>((resolve) => setTimeout(resolve, STOP_DEADLINE_MS, false).unref()),
        ]);
        if (!stopped) throw new Error(`the local stack did not stop within ${STOP_DEADLINE_MS / 1000} s`);
        output.line('Stopped.');
        // Something outside our control (an SDK socket, a hook's timer) must not keep the process up.
        setTimeout(() => process.exit(), 1_000).unref();
        return 0;
      } finally {
        shutdown.dispose();
      }
    }),
  );
};
