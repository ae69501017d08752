import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DunningStack, STACK_NAME } from './dunning-stack.ts';
import type { DunningSettings } from './settings.ts';

/**
 * The app with its one stack and cdk-nag's AwsSolutions pack, whose findings fail synthesis unless
 * acknowledged (with a reason) where they arise. Tests build it with their own settings and context.
 */
export const createDunningApp = (
  settings: DunningSettings,
  appProps: AppProps = {},
): { app: App; stack: DunningStack } => {
  const app = new App(appProps);
  const stack = new DunningStack(app, STACK_NAME, { stackName: STACK_NAME, settings });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
