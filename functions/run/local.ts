import { RunDeferrals } from '../shared/adapters/dynamodb/run-deferrals.ts';
import type { Composition } from '../shared/composition/root.ts';
import { buildRun, type RunExtras } from '../shared/composition/run.ts';
import type { RunOutcome, RunRequest } from '../shared/domain/run/service.ts';
import { formatRunSummary, pendingImportLine, type RunSummary } from '../shared/domain/run/summary.ts';

/** The keys the local run signs links with: `dunning dev`'s data dir, or the ones the CLI loaded. */
export interface LocalRunKeys {
  /** Signs opt-out links; without it the link carries no token and the route refuses it. */
  readonly optOut?: string | undefined;
  /** Signs answer links; without it reminders carry no answer link. */
  readonly answers?: string | undefined;
}

/**
 * The dunning run on the local stack's composition: deferred customers wait in the store (no
 * EventBridge Scheduler wakes the run here) and are taken by `runDueDeferrals`, which `dunning dev`
 * calls every minute, or by the next run.
 */
export const createLocalRun = (app: Composition, keys: LocalRunKeys = {}, overrides: RunExtras = {}) => {
  const deferrals = new RunDeferrals(app.documentClient, app.tableName);
  const { run, preview, close } = buildRun(app, {
    optOutSecret: keys.optOut,
    answerLinkSecret: keys.answers,
    ...overrides,
  });

  /** A full run; deferrals whose opening it has reached are covered by it, so they are taken off. */
  const runAll = async (request: RunRequest): Promise<RunOutcome> => {
    const covered = request.dryRun ? [] : await deferrals.due(request.asOf);
    const outcome = await run.run(request);
    for (const deferral of covered) await deferrals.complete(deferral);
    return outcome;
  };

  /** Runs every customer whose deferred opening has come, as one opening run (AWS's schedule does the same). */
  const runDueDeferrals = async (now: Date): Promise<RunSummary | undefined> => {
    const latest = (await deferrals.due(now)).at(-1);
    if (!latest) return undefined;
    const { summary } = await run.runOpening(latest.at, { asOf: now });
    return summary;
  };

  return { run, preview, runAll, runDueDeferrals, close };
};

/** `dunning dev`'s run step: the day's run (which covers due deferrals); the summary text it prints. */
export const runLocalDunning = async (app: Composition, keys: LocalRunKeys, asOf: Date): Promise<string> => {
  const local = createLocalRun(app, keys);
  try {
    const { summary, pendingImports } = await local.runAll({ asOf, trigger: 'dev' });
    return [formatRunSummary(summary), ...pendingImports.map(pendingImportLine)].join('\n');
  } finally {
    local.close();
  }
};
