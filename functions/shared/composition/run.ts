import { ConfigError } from '../errors.ts';
import type { Composition } from './root.ts';
import { createDunningRun, type RunWiring } from './run-wiring.ts';

/** What a run needs beyond the composition: its link keys, its scheduler, where it reports. */
export type RunExtras = Omit<
  RunWiring,
  'documentClient' | 'tableName' | 'sesEndpoint' | 'policy' | 'settings'
> & {
  readonly optOutSecret?: string | undefined;
  readonly answerLinkSecret?: string | undefined;
};

/** The dunning run (daily, openings, deferred customers, continuations). */
export const buildRun = (app: Composition, extras: RunExtras = {}) => {
  const { optOutSecret, answerLinkSecret, ...wiring } = extras;
  const { settings } = app;
  if (!settings.publicUrl)
    throw new ConfigError('DUNNING_PUBLIC_URL: is required by the run (opt-out links)');
  return createDunningRun({
    documentClient: app.documentClient,
    tableName: app.tableName,
    sesEndpoint: app.sesEndpoint,
    policy: app.policy,
    clock: app.clock,
    settings: {
      businessHours: settings.businessHours,
      deploymentTimeZone: settings.deploymentTimeZone,
      paymentUrlTemplate: settings.paymentUrlTemplate,
      from: settings.from,
      publicUrl: settings.publicUrl,
      ...(optOutSecret ? { optOutSecret } : {}),
      ...(answerLinkSecret ? { answerLinkSecret } : {}),
      ...(settings.respondUrl ? { respondUrl: settings.respondUrl } : {}),
      ...(settings.configurationSetName ? { configurationSetName: settings.configurationSetName } : {}),
      ...(settings.templatesDir ? { templatesDir: settings.templatesDir } : {}),
    },
    ...wiring,
  });
};
