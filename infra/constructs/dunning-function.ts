import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Data } from './data.ts';

/** The repository root: entries, the lock file and bundled folders are resolved from here, whatever the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime this aws-cdk-lib knows, which is what cdk-nag's AwsSolutions-L1 demands.
 * Named explicitly (not NODEJS_LATEST) so a library upgrade never changes the runtime unreviewed.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * Packages swapped at bundling for a narrower build of themselves (esbuild's `alias`), so that what
 * the bench measures (bench/bundles.ts) is what CDK builds. date-holidays reaches moment-timezone,
 * whose default entry carries every zone's whole history (700 KB); holidays need only the years
 * around now, which the 10-year build has.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  'moment-timezone': 'moment-timezone/builds/moment-timezone-with-data-10-year-range.min.js',
};

export type TableAccess = 'read-only' | 'read-write';

const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
// BatchWriteItem: a run first rolls forward a committed import, which clears its staging items in batches.
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * Grants exactly what the adapters do: point reads, queries, single-item conditional writes and the
 * batched clean-up of import staging items on the table, queries on each named index. No Scan (the run reads the sparse due index), no `index/*`.
 */
export const grantTable = (grantee: IGrantable, data: Data, access: TableAccess): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: access === 'read-write' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS,
      resources: [data.table.tableArn],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:Query'], resources: data.indexArns() }),
  );
};

export interface DunningFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/run/handler.ts`. */
  readonly entry: string;
  readonly handler?: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly table: { readonly data: Data; readonly access: TableAccess };
  /** Repository folders copied next to the bundle (read at run time from `/var/task/<folder>`). */
  readonly bundledFolders?: readonly string[];
  /** Concurrency kept for this function alone (and its ceiling); default the account's shared pool. */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Every Lambda of the product: Node.js on arm64, an ESM bundle built by the local esbuild (no Docker),
 * minified with source maps, its own log group with a retention, its own role holding only what the
 * function is granted (no managed policy), and table access in an explicit mode.
 */
export class DunningFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: DunningFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole, whose logs:* reaches every log group.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    const folders = props.bundledFolders ?? [];
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: props.handler ?? 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        // ESM entry points first, so esbuild tree-shakes the AWS SDK and other dual packages.
        mainFields: ['module', 'main'],
        // Some dependencies still call require(); an ESM bundle has no require unless we make one.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Bundled, not taken from the runtime: the versions in package-lock.json are the ones tested,
        // the runtime's copy changes under us, and only the clients a handler imports end up in it.
        bundleAwsSDK: true,
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLE_ALIASES).map(([module, narrower]) => [`--alias:${module}`, narrower]),
        ),
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            folders.map((folder) => `cp -R "${inputDir}/${folder}" "${outputDir}/${folder}"`),
        },
      },
    });
    grantTable(this.function, props.table.data, props.table.access);
  }
}
