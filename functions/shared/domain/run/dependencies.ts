import type { AnswerSettlement } from '../answers/ports.ts';
import type { BusinessHours } from '../business-hours.ts';
import type { PublicHolidays } from '../holidays.ts';
import type { LatePaymentDeps } from '../interest/reminder-claim.ts';
import type { Customer, Invoice } from '../model.ts';
import type { Policy } from '../policy.ts';
import type { Clock, Mailer } from '../ports.ts';
import type { ReminderInput, RenderedReminder } from '../reminder/types.ts';
import type { DigestInput, RenderedDigest } from './digest.ts';
import type {
  CheckpointStore,
  DeferralBook,
  DeferralScheduler,
  PendingImport,
  RunEvents,
  RunJournal,
  RunLedger,
} from './ports.ts';

/** Seams for tests that must act at an exact point of a run (a payment mid-run, a crash after send). */
export interface RunHooks {
  /** Before a stage is claimed on the invoice as the run last read it (the due index, or a re-read after a lost claim). */
  beforeClaim?(invoice: Invoice): Promise<void>;
  /** After the provider accepted a customer's email, before anything is recorded. */
  afterSend?(customer: Customer, messageId: string): Promise<void>;
}

export interface RunDependencies {
  readonly ledger: RunLedger;
  readonly mailer: Mailer;
  readonly scheduler: DeferralScheduler;
  /** The customers waiting for an opening, which `runOpening` works. */
  readonly deferrals?: DeferralBook;
  readonly checkpoints: CheckpointStore;
  /** Run records, and the hold on a run id that keeps a repeated delivery out. */
  readonly journal: RunJournal;
  readonly policy: Policy;
  readonly businessHours: BusinessHours;
  /** Public holidays of the customers' countries; none are kept when absent. */
  readonly holidays?: PublicHolidays;
  /** The deployment's zone: how the summary shows `asOf`, the digest's day. */
  readonly deploymentTimeZone: string;
  /** `DUNNING_PAYMENT_URL`, with `{invoiceId}`. */
  readonly paymentUrlTemplate: string;
  /** Rates and payments for statutory interest in reminders; none is claimed when absent. */
  readonly latePayment?: LatePaymentDeps;
  readonly render: (input: ReminderInput) => RenderedReminder;
  readonly renderDigest?: (input: DigestInput) => RenderedDigest;
  readonly unsubscribeUrl: (customer: Customer) => string;
  /** The answer link of one email (customer and its invoices); without it reminders carry none. */
  readonly answerUrl?: (customer: Customer, invoiceIds: readonly string[]) => string;
  /** Records an answer whose days are over unpaid (a broken promise, an unmatched payment claim). */
  readonly answers?: AnswerSettlement;
  readonly clock: Clock;
  readonly newRunId: () => string;
  /** Runs before anything is read: completes imports that were committed but not applied; those it could not. */
  readonly beforeRun?: () => Promise<readonly PendingImport[]>;
  /** Hands a checkpointed run to a fresh invocation (a one-time schedule in AWS). */
  readonly continueLater?: (runId: string, cursor: string | undefined) => Promise<void>;
  /** Claims older than this are from a dead run; default 20 minutes, beyond any Lambda's life. */
  readonly staleClaimMs?: number;
  /**
   * Customers worked on at once, fixed (tests that need them one at a time). Without it the run keeps
   * as many in flight as the mailer's quota asks for (pace.ts); its sends stay under the quota either way.
   */
  readonly concurrency?: number;
  readonly hooks?: RunHooks;
  /** Where failures and run parts are reported as they happen (logs and metrics in AWS). */
  readonly events?: RunEvents;
}
