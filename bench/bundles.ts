import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_ALIASES, PROJECT_ROOT } from '../infra/constructs/dunning-function.ts';

/** The Lambdas and the environment CDK gives them (stand-ins of the right shape for references). */
export const LAMBDAS = {
  run: { entry: 'functions/run/handler.ts' },
  payments: { entry: 'functions/payment/handler.ts' },
  mail_events: { entry: 'functions/mail-events/handler.ts' },
} as const;
export type LambdaName = keyof typeof LAMBDAS;

const LAMBDA_ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DUNNING_TABLE_NAME: 'bench-ledger',
  DUNNING_WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench',
  DUNNING_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/bench',
  DUNNING_DEFERRAL_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:bench',
  DUNNING_PUBLIC_URL: 'https://bench.lambda-url.us-east-1.on.aws/',
};

/**
 * The bundle as `DunningFunction` has CDK build it (infra/constructs/dunning-function.ts): esbuild,
 * ESM, node24, `module` before `main`, the require shim banner, minified, a linked source map
 * without sources, every dependency (the AWS SDK included) bundled, the same aliases.
 */
export const buildLambda = async (name: LambdaName, outdir: string): Promise<string> => {
  const outfile = join(outdir, name, 'index.mjs');
  await build({
    entryPoints: [join(PROJECT_ROOT, LAMBDAS[name].entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    alias: { ...BUNDLE_ALIASES },
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  });
  return outfile;
};

/** Milliseconds from `import()` called to resolved, in a fresh Node process, as Lambda starts it. */
const coldImportOnce = (file: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...LAMBDA_ENVIRONMENT },
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms))
    throw new Error(`importing ${file} failed: ${result.stderr.split('\n').slice(-4).join(' ')}`);
  return ms;
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export interface BundleMeasure {
  readonly name: LambdaName;
  readonly bytes: number;
  readonly coldImportMs: number;
  readonly samplesMs: readonly number[];
}

export const measureBundles = async (runs = 5): Promise<BundleMeasure[]> => {
  const outdir = await mkdtemp(join(tmpdir(), 'dunning-bench-bundles-'));
  try {
    const measures: BundleMeasure[] = [];
    for (const name of Object.keys(LAMBDAS) as LambdaName[]) {
      const file = await buildLambda(name, outdir);
      const samples = Array.from({ length: runs }, () => coldImportOnce(file));
      measures.push({
        name,
        bytes: (await stat(file)).size,
        coldImportMs: median(samples),
        samplesMs: samples,
      });
    }
    return measures;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
};
