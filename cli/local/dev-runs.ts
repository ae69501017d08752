import { rmSync } from 'node:fs';
import type { LocalConfig } from '../../functions/shared/config.ts';
import { type DailyTimer, startDailyTimer } from './daily-timer.ts';
import type { DevHooks, DevOutput, DevServices, StartingPortfolio } from './dev-stack.ts';
import type { Cleanups, WorkInFlight } from './dev-work.ts';

/** How often `dunning dev` looks for deferred reminders whose opening has come. */
const DEFERRAL_POLL_MS = 60_000;

export interface DevRunsContext {
  readonly config: LocalConfig;
  readonly services: DevServices;
  readonly hooks: DevHooks;
  readonly portfolio: StartingPortfolio;
  /** The marker of a demo seed a new store is still owed. */
  readonly seedPending: string;
  readonly work: WorkInFlight;
  readonly cleanups: Cleanups;
}

type Step = (name: string, task: () => Promise<void>) => Promise<boolean>;

/** Every minute, the reminders deferred to an opening that has come; one poll at a time. */
const pollDeferrals = (
  poll: NonNullable<DevHooks['runDueDeferrals']>,
  stack: DevRunsContext,
  step: Step,
  output: DevOutput,
): void => {
  let polling = false;
  const deferralPoll = setInterval(() => {
    if (polling) return;
    polling = true;
    void step('deferred reminders', async () => {
      const text = await poll(stack.services, new Date());
      if (text) output.line(text);
    }).finally(() => {
      polling = false;
    });
  }, DEFERRAL_POLL_MS);
  deferralPoll.unref();
  stack.cleanups.push(async () => clearInterval(deferralPoll));
};

/**
 * Seeds a new demo store, runs today's dunning at once, then polls deferred reminders and arms the
 * daily run, whose timer it returns (none when the stack has no run or is stopping).
 */
export const startDevRuns = async (
  output: DevOutput,
  stack: DevRunsContext,
): Promise<DailyTimer | undefined> => {
  const { config, services, hooks, work } = stack;
  const step: Step = (name, task) => work.step(name, task, (text) => output.problem(text));
  const runOnce = async (asOf: Date) => {
    if (hooks.runDunning) output.line(await hooks.runDunning(services, asOf));
  };
  const seeded =
    stack.portfolio !== 'demo' ||
    (await step('demo seed', async () => {
      if (hooks.seedDemo) output.line(await hooks.seedDemo(services));
      rmSync(stack.seedPending, { force: true });
    }));
  // Every start runs today's dunning at once: what is due goes out, and at-most-once claims and
  // the minimum gap make a restart on the same day send nothing twice.
  if (seeded) await step('start-up run', () => runOnce(new Date()));
  if (!hooks.runDunning || work.stopping) return undefined;
  if (hooks.runDueDeferrals) pollDeferrals(hooks.runDueDeferrals, stack, step, output);
  return startDailyTimer({
    runAt: config.DUNNING_RUN_AT,
    zone: config.DUNNING_TIME_ZONE,
    // The run is as of the moment it actually starts (a laptop may wake late), not the planned one.
    run: () => runOnce(new Date()),
    onError: (error) =>
      output.problem(`daily run failed: ${error instanceof Error ? error.message : String(error)}`),
  });
};
