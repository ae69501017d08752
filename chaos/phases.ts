import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulators, startEmulators, startTrial } from './harness.ts';
import { fuzzImports, fuzzWebhooks } from './hostile-trials.ts';
import { largeImportKill } from './kill/large-import-trial.ts';
import { runLoad } from './load.ts';
import { runModelTrials } from './model-trials.ts';
import { mailInjectionProblems, optOutProblems, trialLeaks } from './security.ts';

/**
 * The phases of `npm run chaos`: the model-based test (fault-free and under injected faults), hostile input,
 * security checks, load on the real `dunning dev`, the kill trials when their module is present, and a
 * 20,000-row import killed mid-staging. `--short` (`npm run chaos:short`, run by CI) stops after the
 * in-process phases: model trials, faults, hostile input and security, a few minutes.
 * Prints one JSON object per line (`name`, `value`, `unit`) and exits 1 if any invariant was violated.
 * docs/reliability.md states each invariant and how each figure is measured.
 */

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** What `chaos/kill-trials.ts` exports: it reports its own figures and the violations it found. */
type KillTrials = (report: (line: Figure) => void) => Promise<{ violations: number }>;

const SEED = Number(process.env.CHAOS_SEED ?? 20_270_301);

const report = (line: Figure) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** Details of what failed go to stderr; stdout carries only the figures. */
const explain = (heading: string, problems: readonly string[]) => {
  if (problems.length === 0) return;
  process.stderr.write(`chaos: ${heading}\n${problems.map((problem) => `  ${problem}`).join('\n')}\n`);
};

const modelPhase = async (emulators: Emulators) => {
  const clean = await runModelTrials(emulators, { runs: 40, maxSteps: 25, seed: SEED, faultRate: 0 });
  const faulty = await runModelTrials(emulators, { runs: 25, maxSteps: 20, seed: SEED + 1, faultRate: 0.06 });
  explain('model-based test, fault-free', clean.failure ? [clean.failure] : []);
  explain('model-based test under faults', faulty.failure ? [faulty.failure] : []);
  return { clean, faulty };
};

const hostilePhase = async (emulators: Emulators) => {
  const trial = await startTrial(emulators);
  try {
    await trial.importRows(
      'known.csv',
      'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date\nHW-1,HC-9,Ada,ada@customer.example,EUR,100.00,2027-03-01\n',
    );
    const imports = await fuzzImports(trial, emulators.store.documentClient, { runs: 400, seed: SEED });
    const webhooks = await fuzzWebhooks(trial, emulators.store.documentClient, {
      runs: 1_000,
      seed: SEED,
      invoiceId: 'HW-1',
    });
    explain('hostile import files', imports.problems);
    explain('hostile webhook bodies', webhooks.problems);
    return { imports, webhooks, leaks: trialLeaks(trial, await emulators.mailbox.emails()) };
  } finally {
    await trial.stop();
  }
};

const securityPhase = async (emulators: Emulators) => {
  const trial = await startTrial(emulators, { realTemplates: true });
  try {
    return [...(await mailInjectionProblems(emulators, trial)), ...(await optOutProblems(emulators, trial))];
  } finally {
    await trial.stop();
  }
};

const killPhase = async (): Promise<{ violations: number; present: boolean }> => {
  const path = fileURLToPath(new URL('./kill-trials.ts', import.meta.url));
  if (!existsSync(path)) return { violations: 0, present: false };
  const { killTrials } = (await import(path)) as { killTrials: KillTrials };
  return { ...(await killTrials(report)), present: true };
};

const largeImportPhase = async (): Promise<number> => {
  const trial = await largeImportKill();
  explain('20,000-row import killed mid-staging', trial.violations);
  report({ name: 'kill_large_import_staged_at_kill', value: trial.stagedAtKill, unit: 'count' });
  report({ name: 'kill_large_import_violations', value: trial.violations.length, unit: 'count' });
  report({ name: 'kill_large_import_duration', value: trial.seconds, unit: 's' });
  return trial.violations.length;
};

/** The figures every run reports last: the sum of violations and the wall time. */
const finish = (violations: number, started: number): number => {
  report({ name: 'invariant_violations', value: violations, unit: 'count' });
  report({ name: 'chaos_duration', value: Math.round((Date.now() - started) / 1000), unit: 's' });
  return violations === 0 ? 0 : 1;
};

/**
 * Every phase in turn (or the in-process ones only, `short`); resolves with the exit code (1 when any
 * invariant was violated).
 */
export const runChaos = async (options: { short?: boolean } = {}): Promise<number> => {
  const started = Date.now();
  const emulators = await startEmulators();
  let violations = 0;
  let model: Awaited<ReturnType<typeof modelPhase>>;
  let hostile: Awaited<ReturnType<typeof hostilePhase>>;
  let injection: string[];
  try {
    model = await modelPhase(emulators);
    hostile = await hostilePhase(emulators);
    injection = await securityPhase(emulators);
  } finally {
    await emulators.stop();
  }
  const { clean, faulty } = model;
  const modelFailures = (clean.failure ? 1 : 0) + (faulty.failure ? 1 : 0);
  report({ name: 'trials', value: clean.trials + faulty.trials, unit: 'count' });
  report({ name: 'model_steps', value: clean.steps + faulty.steps, unit: 'count' });
  report({ name: 'reminders_checked', value: clean.emails + faulty.emails, unit: 'count' });
  report({ name: 'faults_injected', value: faulty.faultsInjected, unit: 'count' });
  for (const [kind, count] of Object.entries(faulty.faultsByKind))
    report({ name: `faults_injected_${kind}`, value: count, unit: 'count' });
  report({ name: 'clean_failures_retried', value: faulty.cleanFailures, unit: 'count' });
  report({ name: 'webhook_5xx_retried_after_storage_fault', value: faulty.retriedDeliveries, unit: 'count' });
  violations += modelFailures + clean.doubleSends + faulty.doubleSends;

  const { imports, webhooks } = hostile;
  const fiveXx = webhooks.fiveXx;
  const hostileViolations =
    imports.crashes +
    imports.unnamed +
    imports.partial +
    webhooks.crashes +
    webhooks.unnamed +
    webhooks.partial;
  report({ name: 'hostile_inputs', value: imports.inputs + webhooks.inputs, unit: 'count' });
  violations += hostileViolations + fiveXx;

  const leaked = [...clean.leaks, ...faulty.leaks, ...hostile.leaks];
  explain('leaks in responses and log lines', leaked);
  explain('header or HTML injection, opt-out links', injection);
  if (options.short) {
    report({ name: 'security_problems', value: leaked.length + injection.length, unit: 'count' });
    report({ name: 'double_sends', value: clean.doubleSends + faulty.doubleSends, unit: 'count' });
    report({ name: 'five_xx_on_bad_input', value: fiveXx, unit: 'count' });
    return finish(violations + leaked.length + injection.length, started);
  }

  const load = await runLoad({
    events: 5_000,
    inFlight: 32,
    invoices: 500,
    duplicateShare: 0.1,
    outOfOrderShare: 0.05,
    seed: SEED,
    hostileFiles: 12,
  });
  explain('load on dunning dev', load.problems);
  explain('leaks from dunning dev', load.leaks);
  report({ name: 'events_posted', value: load.eventsPosted, unit: 'count' });
  report({ name: 'webhook_p50_latency', value: load.p50Ms, unit: 'ms' });
  report({ name: 'webhook_p99_latency', value: load.p99Ms, unit: 'ms' });
  report({ name: 'load_duration', value: load.seconds, unit: 's' });
  report({ name: 'runs_during_load', value: load.runsDuringLoad, unit: 'count' });
  report({ name: 'reminders_during_load', value: load.reminders, unit: 'count' });
  report({ name: 'hostile_cli_imports', value: load.hostileFiles, unit: 'count' });
  violations += load.lost + load.doubleApplied + load.doubleSends + load.non2xx + load.runFailures;
  violations += load.hostileMishandled + load.leaks.length + leaked.length + injection.length;

  const kills = await killPhase();
  if (!kills.present) process.stderr.write('chaos: chaos/kill-trials.ts is not there; no kill trials run\n');
  violations += kills.violations;
  violations += await largeImportPhase();

  report({
    name: 'security_problems',
    value: leaked.length + load.leaks.length + injection.length,
    unit: 'count',
  });
  report({ name: 'lost', value: load.lost, unit: 'count' });
  report({
    name: 'double_sends',
    value: clean.doubleSends + faulty.doubleSends + load.doubleSends,
    unit: 'count',
  });
  report({ name: 'double_applied', value: load.doubleApplied, unit: 'count' });
  report({ name: 'five_xx_on_bad_input', value: fiveXx, unit: 'count' });
  return finish(violations, started);
};
