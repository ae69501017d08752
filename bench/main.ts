import { note } from './figures.ts';
import { benchBundles } from './phases/bundles.ts';
import { benchDeferrals } from './phases/deferrals.ts';
import { benchRuns, importPortfolio } from './phases/runs.ts';
import { benchSendRate } from './phases/send-rate.ts';
import { benchWebhooks } from './phases/webhooks.ts';
import { startBenchServices } from './services.ts';

/** The parts of the bench in the order they run; `--only=a,b` runs some of them. */
export const BENCH_PARTS = ['bundles', 'runs', 'webhooks', 'send-rate', 'deferrals'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export const selectParts = (argv: readonly string[]): Set<BenchPart> => {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  if (!only) return new Set(BENCH_PARTS);
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(BENCH_PARTS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown bench part ${unknown.join(', ')}: the parts are ${BENCH_PARTS.join(', ')}`);
  return new Set(names as BenchPart[]);
};

export const main = async (argv: readonly string[] = process.argv.slice(2)): Promise<void> => {
  const parts = selectParts(argv);
  const started = performance.now();
  if (parts.has('bundles')) await benchBundles();
  const services = await startBenchServices();
  try {
    if (parts.has('runs')) await benchRuns(services);
    // The webhooks post to invoices of the 10k portfolio that its run leaves alone.
    else if (parts.has('webhooks')) await importPortfolio(services, '10k');
    if (parts.has('webhooks')) await benchWebhooks(services);
    if (parts.has('send-rate')) await benchSendRate(services);
    if (parts.has('deferrals')) await benchDeferrals(services);
  } finally {
    await services.stop();
  }
  note(`done in ${Math.round((performance.now() - started) / 1000)} s`);
};
