import { SESv2Client } from '@aws-sdk/client-sesv2';
import { clientOptions, type ServiceEndpoint } from '../endpoints.ts';

/** One SES v2 client per process; locally it points at aws-ses-v2-local. */
export const createSesClient = (endpoint: ServiceEndpoint): SESv2Client =>
  new SESv2Client(clientOptions(endpoint));
