import { createHash } from 'node:crypto';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Opening } from '../../domain/run/opening.ts';
import { openingName } from '../../domain/run/opening-deferrals.ts';
import type { OpeningAlarm } from '../../domain/run/ports.ts';

export interface EventBridgeSchedulerSettings {
  /** The run Lambda, invoked with `{kind: 'opening' | 'continue', ...}`. */
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

/** `2026-03-16T08:00:00.000Z` -> `2026-03-16T08:00:00`, as `at()` takes it. */
const atExpression = (instant: Date): string => `at(${instant.toISOString().slice(0, 19)})`;

/**
 * One-time EventBridge Scheduler schedules that invoke the run Lambda: at an opening instant (one
 * schedule whatever the customers and zones waiting for it), or to continue a checkpointed run in
 * a fresh invocation. Names are derived from what is scheduled, so scheduling twice is a
 * ConflictException: already scheduled.
 */
export class EventBridgeRunScheduler implements OpeningAlarm {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: EventBridgeSchedulerSettings,
  ) {}

  private async create(
    name: string,
    instant: Date,
    input: unknown,
  ): Promise<'scheduled' | 'already_scheduled'> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: name,
          ...(this.settings.groupName ? { GroupName: this.settings.groupName } : {}),
          // In UTC: customers of every zone whose opening falls on this instant share the schedule.
          ScheduleExpression: atExpression(instant),
          ScheduleExpressionTimezone: 'UTC',
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

  wakeAt(opening: Opening): Promise<'scheduled' | 'already_scheduled'> {
    return this.create(openingName(opening.instant), opening.instant, {
      kind: 'opening',
      at: opening.instant.toISOString(),
    });
  }

  /** A fresh invocation about a minute from now picks the run up from its checkpoint. */
  async continueRun(runId: string, checkpoint: string, now: Date): Promise<void> {
    const at = new Date(Math.ceil((now.getTime() + 60_000) / 1000) * 1000);
    await this.create(`continue-${hash(runId)}-${hash(checkpoint)}`, at, {
      kind: 'continue',
      runId,
      checkpoint,
    });
  }
}
