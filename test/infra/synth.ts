import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { createDunningApp } from '../../infra/dunning-app.ts';
import type { DunningStack } from '../../infra/dunning-stack.ts';
import { settingsFromConfig } from '../../infra/settings.ts';

/** CDK synthesis costs seconds on 2 cores; every infra test gets this long. */
export const CDK_TIMEOUT = 60_000;

export interface Synthesized {
  readonly app: App;
  readonly stack: DunningStack;
  readonly template: Template;
  readonly outdir: string;
  /** The validation report CDK writes beside the templates (cdk-nag's findings land there). */
  readonly validationReport: { pluginReports: { violations: unknown[] }[] };
  cleanup(): void;
}

/**
 * Synthesizes the real app (cdk-nag attached) with settings read from `env` through the shared schema,
 * exactly as infra/app.ts does. Bundling is skipped unless asked for: most tests are about the template.
 * cdk-nag runs either way: any unacknowledged finding makes this throw.
 */
export const synthesize = (env: NodeJS.ProcessEnv = {}, options: { bundle?: boolean } = {}): Synthesized => {
  const outdir = mkdtempSync(join(tmpdir(), 'dunning-cdk-'));
  const settings = settingsFromConfig(loadConfig(localConfigSchema, env));
  const { app, stack } = createDunningApp(settings, {
    outdir,
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
    // CDK's own CloudFormation schema check costs ~4 s on first use; the bundled synth keeps it.
    builtinCloudFormationValidation: Boolean(options.bundle),
  });
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  const validationReport = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return {
    app,
    stack,
    template,
    outdir,
    validationReport,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
};

/** A suite's one synthesis, read through once its `beforeAll` has made it. */
export interface SuiteSynthesis extends Omit<Synthesized, 'cleanup'> {
  /** The logical id CDK gives a construct's CloudFormation resource in the stack. */
  logicalId(construct: IConstruct): string;
}

/**
 * One synthesis for the tests of a suite: made before them (CDK_TIMEOUT allowed), its output folder
 * removed after. Call it at the top of a test file; read it inside the tests.
 */
export const synthesizedSuite = (
  env: NodeJS.ProcessEnv = {},
  options: { bundle?: boolean } = {},
): SuiteSynthesis => {
  let made: Synthesized | undefined;
  beforeAll(() => {
    made = synthesize(env, options);
  }, CDK_TIMEOUT);
  afterAll(() => made?.cleanup());
  const current = (): Synthesized => {
    if (!made) throw new Error('the suite synthesizes in beforeAll: read it inside a test');
    return made;
  };
  return {
    get app() {
      return current().app;
    },
    get stack() {
      return current().stack;
    },
    get template() {
      return current().template;
    },
    get outdir() {
      return current().outdir;
    },
    get validationReport() {
      return current().validationReport;
    },
    logicalId: (construct) => current().stack.getLogicalId(construct.node.defaultChild as CfnElement),
  };
};

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Every statement of the inline policies attached to the role with this logical id. */
export const statementsOfRole = (template: Template, roleLogicalId: string): Statement[] => {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
  }[];
  return policies
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
};
