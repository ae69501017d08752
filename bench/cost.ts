import prices from './prices.json' with { type: 'json' };

/** What one reminder costs in AWS, from the counts this bench measured. */
export interface CostInputs {
  readonly itemsReadPerReminder: number;
  readonly itemsWrittenPerReminder: number;
  readonly emailsPerReminder: number;
  /** Wall-clock seconds of run Lambda time per reminder (billed duration includes waiting on I/O). */
  readonly lambdaSecondsPerReminder: number;
  readonly lambdaMemoryMb: number;
  /** Invocations of the run function per reminder (daily, continuations, deferrals). */
  readonly invocationsPerReminder: number;
}

export const PRICES_CHECKED = prices.checked;

/**
 * USD per 100,000 reminders, with its parts. Reads are priced at one read unit per item read (each
 * item here is under 4 KB; a Query reads index items eventually consistent, several to a unit, so
 * this is an upper bound), writes at one write unit per item (items under 1 KB; larger invoices
 * would cost more).
 */
export const costPer100kReminders = (inputs: CostInputs) => {
  const reminders = 100_000;
  const parts = {
    ses: reminders * inputs.emailsPerReminder * prices.ses.usdPerEmail,
    dynamodbReads: reminders * inputs.itemsReadPerReminder * prices.dynamodb.usdPerReadRequestUnit,
    dynamodbWrites: reminders * inputs.itemsWrittenPerReminder * prices.dynamodb.usdPerWriteRequestUnit,
    lambdaCompute:
      reminders *
      inputs.lambdaSecondsPerReminder *
      (inputs.lambdaMemoryMb / 1024) *
      prices.lambda.usdPerGbSecondArm64,
    lambdaRequests: reminders * inputs.invocationsPerReminder * prices.lambda.usdPerRequest,
    scheduler: reminders * inputs.invocationsPerReminder * prices.scheduler.usdPerInvocation,
  };
  const rounded = Object.fromEntries(
    Object.entries(parts).map(([name, usd]) => [name, Math.round(usd * 10_000) / 10_000]),
  );
  return { total: Object.values(parts).reduce((sum, usd) => sum + usd, 0), parts: rounded };
};
