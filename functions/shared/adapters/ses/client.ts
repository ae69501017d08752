import { SESv2Client } from '@aws-sdk/client-sesv2';
import { withoutCallLogging } from '../call-logging.ts';
import { clientOptions, type ServiceEndpoint } from '../endpoints.ts';

/** One SES v2 client per process for reads (account, probes); locally it points at aws-ses-v2-local. */
export const createSesClient = (endpoint: ServiceEndpoint): SESv2Client =>
  withoutCallLogging(new SESv2Client(clientOptions(endpoint)));

/**
 * An SES client for sending only: the SDK's own retries are off, because retrying a send whose
 * outcome is unknown could deliver it twice; the mailer retries what is provably throttling.
 */
export const createSendingClient = (endpoint: ServiceEndpoint): SESv2Client =>
  withoutCallLogging(new SESv2Client({ ...clientOptions(endpoint), maxAttempts: 1 }));
