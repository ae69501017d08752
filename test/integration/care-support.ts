import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { localCareRoutes } from '../../cli/http/care-routes.ts';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { customerEmailItem } from '../../functions/shared/adapters/dynamodb/customer-care-email-index.ts';
import type { Customer } from '../../functions/shared/domain/model.ts';
import { testComposition } from '../support/composition.ts';
import type { TestStore } from '../support/emulators.ts';
import { serveRoutes } from '../support/local-server.ts';

/** The address lookup the import writes for each customer (run-support's `seed` writes customers only). */
export const indexEmails = async (store: TestStore, customers: readonly Customer[]) => {
  for (const who of customers)
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: customerEmailItem(who.customerId, who.email) }),
    );
};

/** The opt-out and mail-event routes exactly as `dunning dev` mounts them, on the suite's store. */
export const serveCareRoutes = async (store: TestStore, optOutSecret: string): Promise<RunningHttpServer> =>
  serveRoutes(
    await localCareRoutes(
      testComposition(store),
      { optOut: optOutSecret },
      { info: () => {}, warn: () => {} },
    ),
  );

/**
 * An SES bounce or complaint as EventBridge delivers it from a configuration set's event destination
 * (`source: aws.ses`, the SES event record as `detail`), with the fields SES fills in.
 */
export const sesEvent = (
  kind: 'Permanent' | 'Transient' | 'Complaint',
  address: string,
  at = '2026-03-10T12:05:00.000Z',
) => {
  const mail = {
    timestamp: '2026-03-10T12:00:01.000Z',
    source: 'billing@dunning.example',
    sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/dunning.example',
    sendingAccountId: '123456789012',
    messageId: '0102018e1f6a7b3c-5d1a0b4e-0000-4c1e-9f51-6a1e2c3d4e5f-000000',
    destination: [address],
    headersTruncated: false,
    headers: [{ name: 'Subject', value: 'Reminder N-1' }],
    commonHeaders: { from: ['billing@dunning.example'], to: [address], subject: 'Reminder N-1' },
    tags: { 'ses:configuration-set': ['Dunning-ConfigurationSet'] },
  };
  const detail =
    kind === 'Complaint'
      ? {
          eventType: 'Complaint',
          complaint: {
            feedbackId: '0102018e1f6a7b3c-complaint-000000',
            complaintSubType: null,
            complainedRecipients: [{ emailAddress: address }],
            timestamp: at,
            userAgent: 'ExampleCorp Feedback Loop (V0.01)',
            complaintFeedbackType: 'abuse',
            arrivalDate: at,
          },
          mail,
        }
      : {
          eventType: 'Bounce',
          bounce: {
            feedbackId: `0102018e1f6a7b3c-${kind.toLowerCase()}-000000`,
            bounceType: kind,
            bounceSubType: kind === 'Permanent' ? 'General' : 'MailboxFull',
            bouncedRecipients: [
              {
                emailAddress: address,
                action: 'failed',
                status: kind === 'Permanent' ? '5.1.1' : '4.2.2',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp: at,
            reportingMTA: 'dns; a1-2.smtp-out.eu-west-1.amazonses.com',
          },
          mail,
        };
  return {
    version: '0',
    id: `e1b2c3d4-${kind.toLowerCase()}-4f1a-9b7e-2c5d8a0f3e61`,
    'detail-type': kind === 'Complaint' ? 'Email Complaint Received' : 'Email Bounced',
    source: 'aws.ses',
    account: '123456789012',
    time: at,
    region: 'eu-west-1',
    resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/Dunning-ConfigurationSet'],
    detail,
  };
};
