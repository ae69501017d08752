import { createRespond, type RespondWiring } from '../../respond/compose.ts';
import type { Settings } from '../config.ts';
import { buildMailer } from './mailer.ts';
import type { Composition } from './root.ts';

/** Where answer links point when a request does not say where it came: the respond URL, else the public one. */
const answerBase = (settings: Settings): string | undefined => settings.respondUrl ?? settings.publicUrl;

/** The `/respond` receiver: customers' answers from the reminders' links. */
export const buildRespond = (
  app: Composition,
  wiring: Pick<RespondWiring, 'linkKey' | 'logger'> & Partial<Pick<RespondWiring, 'mailer'>>,
) =>
  createRespond({
    documentClient: app.documentClient,
    tableName: app.tableName,
    mailer: wiring.mailer ?? buildMailer(app).mailer,
    policy: app.policy,
    linkKey: wiring.linkKey,
    ...(answerBase(app.settings) ? { publicUrl: answerBase(app.settings) } : {}),
    paymentUrlTemplate: app.settings.paymentUrlTemplate,
    defaultTimeZone: app.settings.deploymentTimeZone,
    logger: wiring.logger,
    clock: app.clock,
  });
