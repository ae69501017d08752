import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { composeLocal } from '../../functions/shared/composition/local.ts';
import { buildMailer } from '../../functions/shared/composition/mailer.ts';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { startSesStandIn } from '../support/ses-stand-in.ts';

/**
 * Guard: SDK retries are off for every send, not only the run's. The mailer the composition builds for
 * the customers' answers (confirmations, notes to collections) goes through the sending client too: a
 * 500 from SES may mean the message left, so the SDK must not send it again. The run's own mailer is
 * held by send-outcome.test.ts.
 */

describe('Guard: the sending clients', () => {
  let ses: Awaited<ReturnType<typeof startSesStandIn>>;
  beforeAll(async () => {
    ses = await startSesStandIn();
    ses.answer('server_error');
  });
  afterAll(() => ses.stop());

  it("sends an answer's email once when SES answers 500, and leaves the outcome unknown", async () => {
    // The store is never dialled: only the mailer is built and used.
    const app = composeLocal(loadConfig(localConfigSchema, {}), 'unused', {
      dynamo: localEndpoint(1),
      ses: ses.endpoint,
    });
    const { mailer, close } = buildMailer(app);
    const before = ses.sends();

    const sent = mailer.send({
      to: 'ap@customer.example',
      subject: 'Your payment plan for invoice INV-1',
      html: '<p>Thank you</p>',
      text: 'Thank you',
    });

    await expect(sent).rejects.toMatchObject({ name: 'InternalFailure' });
    close();
    expect(ses.sends() - before).toBe(1);
  });
});
