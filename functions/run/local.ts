import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RunDeferrals } from '../shared/adapters/dynamodb/run-deferrals.ts';
import type { ServiceEndpoint } from '../shared/adapters/endpoints.ts';
import { composeLocal } from '../shared/composition/local.ts';
import { buildRun, type RunExtras } from '../shared/composition/run.ts';
import type { LocalConfig } from '../shared/config.ts';
import type { Policy } from '../shared/domain/policy.ts';
import type { RunOutcome, RunRequest } from '../shared/domain/run/service.ts';
import { formatRunSummary, pendingImportLine, type RunSummary } from '../shared/domain/run/summary.ts';

/** What the local stack (CLI, `dunning dev`) hands the run: its store and mail emulator. */
export interface LocalRunServices {
  readonly config: LocalConfig;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly sesEndpoint: ServiceEndpoint;
  readonly policy?: Policy;
  /** Signs opt-out links: `dunning dev` hands its local secrets, the CLI the one it loaded. */
  readonly optOutSecret?: string;
  readonly secrets?: { readonly optOut?: string; readonly answers?: string };
  /** Signs answer links: `dunning dev` hands its local secrets, the CLI the one it loaded. */
  readonly answerLinkSecret?: string;
}

/**
 * The dunning run on the local stack: deferred customers wait in the store (no EventBridge Scheduler
 * wakes the run here) and are taken by `runDueDeferrals`, which `dunning dev` calls every minute, or
 * by the next run.
 */
export const createLocalRun = (services: LocalRunServices, overrides: RunExtras = {}) => {
  const deferrals = new RunDeferrals(services.documentClient, services.tableName);
  const app = composeLocal(
    services.config,
    services.tableName,
    { dynamo: services.documentClient, ses: services.sesEndpoint },
    services.policy,
  );
  const { run, preview, close } = buildRun(app, {
    optOutSecret: services.optOutSecret ?? services.secrets?.optOut,
    answerLinkSecret: services.answerLinkSecret ?? services.secrets?.answers,
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
export const runLocalDunning = async (services: LocalRunServices, asOf: Date): Promise<string> => {
  const local = createLocalRun(services);
  try {
    const { summary, pendingImports } = await local.runAll({ asOf, trigger: 'dev' });
    return [formatRunSummary(summary), ...pendingImports.map(pendingImportLine)].join('\n');
  } finally {
    local.close();
  }
};
