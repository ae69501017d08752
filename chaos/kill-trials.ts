import { seededRandom } from '../cli/demo/portfolio.ts';
import { devKillTrial } from './kill/dev-trial.ts';
import type { Trial, TrialResult } from './kill/harness.ts';
import { importKillTrial } from './kill/import-trial.ts';
import { runKillTrial } from './kill/run-trial.ts';

/**
 * The kill trials of `npm run chaos`: real `dunning run`, `dunning import` and `dunning dev`
 * processes SIGKILLed at seeded random moments, then restarted or re-run, and the store and the
 * mail checked (docs/reliability.md, "Kill trials"). The three kinds run side by side, each its
 * trials in turn.
 */

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface KillTrialOptions {
  /** Trials of each kind. */
  readonly trials?: number;
  readonly seed?: number;
}

const KINDS: readonly { name: string; trial: Trial; firstWindowMs: number }[] = [
  { name: 'run', trial: runKillTrial, firstWindowMs: 3_000 },
  { name: 'import', trial: importKillTrial, firstWindowMs: 4_500 },
  { name: 'dev', trial: devKillTrial, firstWindowMs: 4_500 },
];

interface Lane {
  readonly name: string;
  readonly results: TrialResult[];
}

/** One kind's trials in turn; each kill window is how long the previous trial's unkilled run took. */
const lane = async (
  kind: (typeof KINDS)[number],
  trials: number,
  seed: number,
  explain: (text: string) => void,
): Promise<Lane> => {
  const random = seededRandom(seed);
  const results: TrialResult[] = [];
  let windowMs = kind.firstWindowMs;
  for (let trial = 0; trial < trials; trial += 1) {
    let result: TrialResult;
    try {
      result = await kind.trial(trial, random, windowMs);
    } catch (error) {
      result = { killed: false, violations: [`trial failed: ${(error as Error).message.split('\n')[0]}`] };
    }
    for (const violation of result.violations)
      explain(`kill ${kind.name} #${trial} (seed ${seed}): ${violation}`);
    if (result.fullMs) windowMs = result.fullMs;
    results.push(result);
  }
  return { name: kind.name, results };
};

export async function killTrials(
  report: (line: Figure) => void,
  options: KillTrialOptions = {},
): Promise<{ violations: number }> {
  const trials = options.trials ?? 20;
  const seed = options.seed ?? Number(process.env.CHAOS_SEED ?? 20_270_301);
  const started = Date.now();
  const explain = (text: string) => process.stderr.write(`chaos: ${text}\n`);
  const lanes = await Promise.all(KINDS.map((kind, index) => lane(kind, trials, seed + index, explain)));

  let violations = 0;
  const totals = new Map<string, number>();
  for (const { name, results } of lanes) {
    const kills = results.filter((result) => result.killed).length;
    const broken = results.reduce((sum, result) => sum + result.violations.length, 0);
    violations += broken;
    report({ name: `kill_trials_${name}`, value: results.length, unit: 'count' });
    report({ name: `kills_${name}`, value: kills, unit: 'count' });
    report({ name: `kill_violations_${name}`, value: broken, unit: 'count' });
    for (const result of results)
      for (const [counter, value] of Object.entries(result.counts ?? {}))
        totals.set(`kill_${name}_${counter}`, (totals.get(`kill_${name}_${counter}`) ?? 0) + value);
  }
  for (const [name, value] of totals) report({ name, value, unit: 'count' });
  report({
    name: 'kill_trials',
    value: lanes.reduce((sum, { results }) => sum + results.length, 0),
    unit: 'count',
  });
  report({
    name: 'kills',
    value: lanes.reduce((sum, { results }) => sum + results.filter((result) => result.killed).length, 0),
    unit: 'count',
  });
  report({ name: 'kill_violations', value: violations, unit: 'count' });
  report({ name: 'kill_duration', value: Math.round((Date.now() - started) / 1000), unit: 's' });
  return { violations };
}
