import { randomBytes } from 'node:crypto';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAnswerLedger } from '../adapters/dynamodb/answer-store.ts';
import { DynamoPaymentLedger } from '../adapters/dynamodb/payment-ledger.ts';
import { RunCheckpoints } from '../adapters/dynamodb/run-checkpoints.ts';
import { RunDeferrals } from '../adapters/dynamodb/run-deferrals.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import { createRunLedger } from '../adapters/dynamodb/run-ledger.ts';
import type { ServiceEndpoint } from '../adapters/endpoints.ts';
import { datePublicHolidays } from '../adapters/holidays/date-holidays.ts';
import { createSendingClient } from '../adapters/ses/client.ts';
import { fromHeader, SesMailer } from '../adapters/ses/mailer.ts';
import { loadTemplates } from '../adapters/templates/file-templates.ts';
import type { BusinessHours } from '../domain/business-hours.ts';
import type { PublicHolidays } from '../domain/holidays.ts';
import type { Policy } from '../domain/policy.ts';
import type { Clock, Mailer } from '../domain/ports.ts';
import { renderHandOffDigest, renderReminder } from '../domain/reminder/render.ts';
import type { ReminderInput, RenderedReminder } from '../domain/reminder/types.ts';
import type { RunDependencies, RunHooks } from '../domain/run/dependencies.ts';
import { InvoicePreviewer } from '../domain/run/invoice-preview.ts';
import { OpeningDeferrals } from '../domain/run/opening-deferrals.ts';
import type { OpeningAlarm, RunEvents } from '../domain/run/ports.ts';
import { DunningRun } from '../domain/run/service.ts';
import { loadReferenceRates } from '../reference-rates.ts';
import { completePendingImports } from './roll-forward.ts';
import { answerUrlFor, optOutUrl } from './run-links.ts';

/** The settings a run reads from the validated environment (CLI, local stack and Lambda alike). */
export interface RunSettings {
  readonly businessHours: BusinessHours;
  readonly deploymentTimeZone: string;
  readonly paymentUrlTemplate: string;
  readonly from: string;
  readonly configurationSetName?: string;
  /** Base of the one-click opt-out link: the payment function's URL, or the local HTTP server. */
  readonly publicUrl: string;
  /** Signs the opt-out link (`&token=`); without it the link carries none and the route refuses it. */
  readonly optOutSecret?: string;
  /** Signs the answer link (`/respond?token=`); without it reminders carry no answer link. */
  readonly answerLinkSecret?: string;
  /** Base of the answer link: the respond function's URL in AWS; default `publicUrl` (local server). */
  readonly respondUrl?: string;
  readonly templatesDir?: string;
}

export interface RunWiring {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly sesEndpoint: ServiceEndpoint;
  /** Wakes the run at an opening (EventBridge Scheduler); absent locally, where dev's loop polls. */
  readonly alarm?: OpeningAlarm;
  readonly policy: Policy;
  readonly settings: RunSettings;
  readonly continueLater?: (runId: string, cursor: string | undefined) => Promise<void>;
  /** Replaces the rendered templates (tests that read facts back from the mail). */
  readonly render?: (input: ReminderInput) => RenderedReminder;
  readonly mailer?: Mailer;
  readonly clock?: Clock;
  readonly hooks?: RunHooks;
  /** Where failures are reported as they happen (Powertools Logger in Lambda). */
  readonly events?: RunEvents;
  readonly staleClaimMs?: number;
  readonly concurrency?: number;
  /** Replaces the holiday calendar (date-holidays by default). */
  readonly holidays?: PublicHolidays;
}

export const newRunId = (): string =>
  `run-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(4).toString('hex')}`;

/** Rates and payment dates for the statutory interest a reminder states (docs/late-payment.md). */
const latePaymentDeps = (documentClient: DynamoDBDocumentClient, tableName: string, zone: string) => {
  const payments = new DynamoPaymentLedger(documentClient, tableName, zone);
  return { rates: loadReferenceRates(), payments: payments.listPayments.bind(payments) };
};

/**
 * The dunning run on the given store, mail service and scheduler, built once per process, and the
 * preview of what that very run would send (`dunning preview`).
 */
export const createDunningRun = (
  wiring: RunWiring,
): { run: DunningRun; preview: InvoicePreviewer; close(): void } => {
  const { documentClient, tableName, policy, settings } = wiring;
  const clock = wiring.clock ?? (() => new Date());
  const deferrals = new RunDeferrals(documentClient, tableName, clock);
  const templates = wiring.render ? undefined : loadTemplates(settings.templatesDir);
  const ses = wiring.mailer ? undefined : createSendingClient(wiring.sesEndpoint);
  const mailer =
    wiring.mailer ??
    new SesMailer(ses as SESv2Client, {
      from: settings.from,
      ...(settings.configurationSetName ? { configurationSetName: settings.configurationSetName } : {}),
    });
  const deps: RunDependencies = {
    ledger: createRunLedger(documentClient, tableName, clock),
    mailer,
    scheduler: new OpeningDeferrals(deferrals, wiring.alarm),
    deferrals,
    checkpoints: new RunCheckpoints(documentClient, tableName, clock),
    journal: new DynamoRunJournal(documentClient, tableName, clock),
    policy,
    businessHours: settings.businessHours,
    holidays: wiring.holidays ?? datePublicHolidays(),
    deploymentTimeZone: settings.deploymentTimeZone,
    paymentUrlTemplate: settings.paymentUrlTemplate,
    latePayment: latePaymentDeps(documentClient, tableName, settings.deploymentTimeZone),
    render: wiring.render ?? ((input) => renderReminder(input, templates as NonNullable<typeof templates>)),
    ...(templates ? { renderDigest: (input) => renderHandOffDigest(input, templates) } : {}),
    unsubscribeUrl: (customer) => optOutUrl(settings.publicUrl, customer, settings.optOutSecret),
    ...(settings.answerLinkSecret ? { answerUrl: answerUrlFor(settings, policy, clock) } : {}),
    answers: new DynamoAnswerLedger(documentClient, tableName, clock),
    clock,
    newRunId,
    // Reported, never in the run's way: the run goes on with the store as it stands.
    beforeRun: async () => {
      const { failed } = await completePendingImports({
        client: documentClient,
        tableName,
        policy,
        now: clock,
      });
      return failed.map(({ importId, reason }) => ({ importId, reason }));
    },
    ...(wiring.continueLater ? { continueLater: wiring.continueLater } : {}),
    ...(wiring.hooks ? { hooks: wiring.hooks } : {}),
    ...(wiring.events ? { events: wiring.events } : {}),
    ...(wiring.staleClaimMs !== undefined ? { staleClaimMs: wiring.staleClaimMs } : {}),
    ...(wiring.concurrency !== undefined ? { concurrency: wiring.concurrency } : {}),
  };
  const preview = new InvoicePreviewer(deps, (email) => fromHeader(settings.from, email.fromName));
  return { run: new DunningRun(deps), preview, close: () => ses?.destroy() };
};
