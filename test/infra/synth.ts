import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
