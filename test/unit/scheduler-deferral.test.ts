import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeRunScheduler } from '../../functions/shared/adapters/scheduler/eventbridge-scheduler.ts';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import { nextOpening } from '../../functions/shared/domain/run/opening.ts';
import { OpeningDeferrals } from '../../functions/shared/domain/run/opening-deferrals.ts';
import type { Deferral, DeferralBook, WaitingCustomer } from '../../functions/shared/domain/run/ports.ts';

const settings = {
  runFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Dunning-RunFunction',
  roleArn: 'arn:aws:iam::123456789012:role/Dunning-SchedulerRole',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:Dunning-Deferrals-DLQ',
  groupName: 'dunning-deferrals',
};
const hours = parseBusinessHours('Mon-Fri 09:00-17:00');

/** The schedule of one opening instant, exactly as the adapter asks for it. */
const openingSchedule = (name: string, utc: string) => ({
  Name: name,
  GroupName: 'dunning-deferrals',
  ScheduleExpression: `at(${utc})`,
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: {
    Arn: settings.runFunctionArn,
    RoleArn: settings.roleArn,
    Input: JSON.stringify({ kind: 'opening', at: `${utc}.000Z` }),
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 5 },
    DeadLetterConfig: { Arn: settings.deadLetterArn },
  },
});

/** The store's waiting list, in memory: one entry per customer and instant, first write wins. */
class MemoryBook implements DeferralBook {
  readonly entries = new Map<string, WaitingCustomer>();
  async put({ customerId, runId, opening }: Deferral) {
    const key = `${customerId}@${opening.instant.toISOString()}`;
    if (this.entries.has(key)) return 'already_scheduled' as const;
    this.entries.set(key, { customerId, runId, at: opening.instant });
    return 'scheduled' as const;
  }
  async due(upTo: Date) {
    return [...this.entries.values()].filter((entry) => entry.at <= upTo);
  }
  async complete(entry: WaitingCustomer) {
    this.entries.delete(`${entry.customerId}@${entry.at.toISOString()}`);
  }
}

// Saturday 12:00 UTC in January: the weekend everywhere, every customer waits for Monday's opening.
const saturday = new Date('2026-01-10T12:00:00Z');
const deferralOf = (customerId: string, timeZone: string, runId = 'run-1'): Deferral => ({
  customerId,
  runId,
  opening: nextOpening(saturday, timeZone, hours),
});

describe('EventBridge Scheduler: one schedule per opening instant', () => {
  const scheduler = mockClient(SchedulerClient);

  beforeEach(() => {
    scheduler.reset();
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
  });

  it('wakes the run at an opening with a UTC at() schedule named for the instant, deleted after it runs', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const opening = nextOpening(new Date('2026-03-13T22:00:00Z'), 'Pacific/Kiritimati', hours);

    const outcome = await new EventBridgeRunScheduler(client, settings).wakeAt(opening);

    expect(outcome).toBe('scheduled');
    expect(scheduler).toReceiveCommandTimes(CreateScheduleCommand, 1);
    // 09:00 on Monday in Kiritimati (UTC+14) is 19:00 UTC on Sunday.
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual(
      openingSchedule('opening-20260315T1900Z', '2026-03-15T19:00:00'),
    );
  });

  it('treats a schedule that already exists as already scheduled', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} }));
    const client = new SchedulerClient({ region: 'eu-west-1' });

    const outcome = await new EventBridgeRunScheduler(client, settings).wakeAt(
      nextOpening(new Date('2026-03-14T10:00:00Z'), 'Europe/Berlin', hours),
    );

    expect(outcome).toBe('already_scheduled');
  });

  it('gives customers deferred to the same instant one schedule, whatever their zone or run', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const book = new MemoryBook();
    const deferrals = new OpeningDeferrals(book, new EventBridgeRunScheduler(client, settings));

    for (const deferral of [
      deferralOf('london', 'Europe/London'),
      deferralOf('lisbon', 'Europe/Lisbon'),
      deferralOf('berlin', 'Europe/Berlin'),
      deferralOf('paris', 'Europe/Paris'),
      deferralOf('kolkata', 'Asia/Kolkata'),
      deferralOf('london', 'Europe/London', 'run-2'),
    ])
      await deferrals.defer(deferral);

    // London and Lisbon open at 09:00 UTC, Berlin and Paris at 08:00 UTC, Kolkata at 03:30 UTC.
    expect(scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      openingSchedule('opening-20260112T0900Z', '2026-01-12T09:00:00'),
      openingSchedule('opening-20260112T0800Z', '2026-01-12T08:00:00'),
      openingSchedule('opening-20260112T0330Z', '2026-01-12T03:30:00'),
    ]);
    expect(await book.due(new Date('2026-01-12T08:00:00Z'))).toEqual([
      { customerId: 'berlin', runId: 'run-1', at: new Date('2026-01-12T08:00:00Z') },
      { customerId: 'paris', runId: 'run-1', at: new Date('2026-01-12T08:00:00Z') },
      { customerId: 'kolkata', runId: 'run-1', at: new Date('2026-01-12T03:30:00Z') },
    ]);
  });

  it('creates no second schedule when a retried run (a fresh process) defers the same customers', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const book = new MemoryBook();
    await new OpeningDeferrals(book, new EventBridgeRunScheduler(client, settings)).defer(
      deferralOf('london', 'Europe/London'),
    );
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} }));

    const retried = await new OpeningDeferrals(book, new EventBridgeRunScheduler(client, settings)).defer(
      deferralOf('london', 'Europe/London', 'run-1'),
    );

    const names = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.Name);
    expect(names).toEqual(['opening-20260112T0900Z', 'opening-20260112T0900Z']);
    expect(retried).toBe('already_scheduled');
    expect(book.entries.size).toBe(1);
  });

  it('asks again after a failed request, so a throttled CreateSchedule does not lose the opening', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    scheduler.on(CreateScheduleCommand).rejectsOnce(new Error('throttled')).resolves({ ScheduleArn: 'arn' });
    const deferrals = new OpeningDeferrals(new MemoryBook(), new EventBridgeRunScheduler(client, settings));

    await expect(deferrals.defer(deferralOf('london', 'Europe/London'))).rejects.toThrow('throttled');
    await deferrals.defer(deferralOf('lisbon', 'Europe/Lisbon'));

    expect(scheduler).toReceiveCommandTimes(CreateScheduleCommand, 2);
  });

  it('continues a checkpointed run in a fresh invocation a minute later', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });

    await new EventBridgeRunScheduler(client, settings).continueRun(
      'run-1',
      'cus-17',
      new Date('2026-03-10T08:14:30.200Z'),
    );

    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      ScheduleExpression: 'at(2026-03-10T08:15:31)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: expect.objectContaining({
        Input: JSON.stringify({ kind: 'continue', runId: 'run-1', checkpoint: 'cus-17' }),
        DeadLetterConfig: { Arn: settings.deadLetterArn },
      }),
    });
  });
});
