import { randomBytes } from 'node:crypto';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pageLanguage } from '../payment/opt-out-pages.ts';
import { DynamoAnswerLedger } from '../shared/adapters/dynamodb/answer-store.ts';
import { DynamoPaymentLedger } from '../shared/adapters/dynamodb/payment-ledger.ts';
import { RunCheckpoints } from '../shared/adapters/dynamodb/run-checkpoints.ts';
import { RunDeferrals } from '../shared/adapters/dynamodb/run-deferrals.ts';
import { DynamoRunJournal } from '../shared/adapters/dynamodb/run-journal.ts';
import { createRunLedger } from '../shared/adapters/dynamodb/run-ledger.ts';
import type { ServiceEndpoint } from '../shared/adapters/endpoints.ts';
import { datePublicHolidays } from '../shared/adapters/holidays/date-holidays.ts';
import { createSendingClient } from '../shared/adapters/ses/client.ts';
import { fromHeader, SesMailer } from '../shared/adapters/ses/mailer.ts';
import { loadTemplates } from '../shared/adapters/templates/file-templates.ts';
import { completePendingImports } from '../shared/composition/roll-forward.ts';
import { answerLinkUrl, linkExpiry, signAnswerLink } from '../shared/domain/answers/link-token.ts';
import type { BusinessHours } from '../shared/domain/business-hours.ts';
import { optOutLink } from '../shared/domain/customer-care/opt-out-token.ts';
import type { PublicHolidays } from '../shared/domain/holidays.ts';
import type { Customer } from '../shared/domain/model.ts';
import type { Policy } from '../shared/domain/policy.ts';
import type { Clock, Mailer } from '../shared/domain/ports.ts';
import { renderHandOffDigest, renderReminder } from '../shared/domain/reminder/render.ts';
import type { ReminderInput, RenderedReminder } from '../shared/domain/reminder/types.ts';
import type { RunDependencies, RunHooks } from '../shared/domain/run/dependencies.ts';
import { InvoicePreviewer } from '../shared/domain/run/invoice-preview.ts';
import { OpeningDeferrals } from '../shared/domain/run/opening-deferrals.ts';
import type { OpeningAlarm, RunEvents } from '../shared/domain/run/ports.ts';
import { DunningRun } from '../shared/domain/run/service.ts';
import { loadReferenceRates } from '../shared/reference-rates.ts';

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

/**
 * The one-click opt-out link for a customer (List-Unsubscribe and the email's footer), signed when it
 * can be. It names the page's language when that is not English, so the page speaks the customer's.
 */
export const optOutUrl = (
  publicUrl: string,
  customer: Pick<Customer, 'customerId'> & Partial<Pick<Customer, 'locale'>>,
  secret?: string,
): string => {
  const language = pageLanguage(customer.locale);
  const spoken = language === 'en' ? undefined : language;
  return secret
    ? optOutLink(publicUrl, secret, customer.customerId, spoken)
    : `${publicUrl.replace(/\/+$/, '')}/optout?customer=${encodeURIComponent(customer.customerId)}${spoken ? `&lang=${spoken}` : ''}`;
};

const DAY_MS = 86_400_000;
const endOfUtcDay = (instant: Date): Date => new Date((Math.floor(instant.getTime() / DAY_MS) + 1) * DAY_MS);

/** The answer link of one reminder: signed for the customer and that email's invoices, expiring per policy. */
export const answerUrlFor =
  (
    settings: Pick<RunSettings, 'answerLinkSecret' | 'respondUrl' | 'publicUrl'>,
    policy: Policy,
    clock: Clock,
  ) =>
  (customer: Pick<Customer, 'customerId' | 'locale'>, invoiceIds: readonly string[]): string => {
    const key = settings.answerLinkSecret as string;
    const token = signAnswerLink(key, {
      customerId: customer.customerId,
      invoiceIds,
      // Counted from the end of the sending day (UTC): every rendering of one day's email, the one
      // `dunning preview` shows included, carries the very same link.
      expiresAt: linkExpiry(endOfUtcDay(clock()), policy.answers.linkExpiryDays),
      locale: customer.locale,
    });
    return answerLinkUrl(settings.respondUrl ?? settings.publicUrl, token);
  };

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
