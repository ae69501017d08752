import { createHash } from 'node:crypto';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Deferral, DeferralScheduler } from '../../domain/run/ports.ts';

export interface EventBridgeSchedulerSettings {
  /** The run Lambda, invoked with `{kind: 'deferred' | 'continue', ...}`. */
  readonly runFunctionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** Where an invocation that failed every retry goes (SQS queue). */
  readonly deadLetterArn: string;
  readonly groupName?: string;
}

/** Retries for an invocation that failed: within an hour, so a reminder never lands after closing. */
const RETRY_POLICY = { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 5 } as const;

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** `2026-03-16T09:00:00` -> `20260316T0900`, for a schedule name that is unique per opening. */
const compact = (localDateTime: string): string => localDateTime.replace(/[-:]/g, '').slice(0, 13);

/**
 * One-time EventBridge Scheduler schedules that invoke the run Lambda: at a customer's next business
 * opening in their own zone, or to continue a checkpointed run in a fresh invocation. Names are
 * derived from what is scheduled, so scheduling twice is a ConflictException: already scheduled.
 */
export class EventBridgeDeferralScheduler implements DeferralScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: EventBridgeSchedulerSettings,
  ) {}

  private async create(
    name: string,
    expression: string,
    timeZone: string,
    input: unknown,
  ): Promise<'scheduled' | 'already_scheduled'> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: name,
          ...(this.settings.groupName ? { GroupName: this.settings.groupName } : {}),
          ScheduleExpression: expression,
          ScheduleExpressionTimezone: timeZone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.settings.runFunctionArn,
            RoleArn: this.settings.roleArn,
            Input: JSON.stringify(input),
            RetryPolicy: RETRY_POLICY,
            DeadLetterConfig: { Arn: this.settings.deadLetterArn },
          },
        }),
      );
      return 'scheduled';
    } catch (error) {
      if (error instanceof ConflictException) return 'already_scheduled';
      throw error;
    }
  }

  defer(deferral: Deferral): Promise<'scheduled' | 'already_scheduled'> {
    const { opening, customerId, runId } = deferral;
    return this.create(
      `defer-${hash(customerId)}-${compact(opening.localDateTime)}`,
      `at(${opening.localDateTime})`,
      opening.timeZone,
      { kind: 'deferred', customerId, runId },
    );
  }

  /** A fresh invocation about a minute from now picks the run up from its checkpoint. */
  async continueRun(runId: string, checkpoint: string, now: Date): Promise<void> {
    const at = new Date(Math.ceil((now.getTime() + 60_000) / 1000) * 1000).toISOString().slice(0, 19);
    await this.create(`continue-${hash(runId)}-${hash(checkpoint)}`, `at(${at})`, 'UTC', {
      kind: 'continue',
      runId,
      checkpoint,
    });
  }
}
