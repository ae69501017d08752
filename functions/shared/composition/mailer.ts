import { createSendingClient } from '../adapters/ses/client.ts';
import { SesMailer } from '../adapters/ses/mailer.ts';
import type { Mailer } from '../domain/ports.ts';
import type { Composition } from './root.ts';

/** A mailer on the sending client: no SDK retries, so a send whose outcome is unknown never goes twice. */
export const buildMailer = (app: Composition): { mailer: Mailer; close(): void } => {
  const client = createSendingClient(app.sesEndpoint);
  const mailer = new SesMailer(client, {
    from: app.settings.from,
    ...(app.settings.configurationSetName ? { configurationSetName: app.settings.configurationSetName } : {}),
  });
  return { mailer, close: () => client.destroy() };
};
