import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeDeferralScheduler } from '../../functions/shared/adapters/scheduler/eventbridge-scheduler.ts';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import { nextOpening } from '../../functions/shared/domain/run/opening.ts';

const settings = {
  runFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Dunning-RunFunction',
  roleArn: 'arn:aws:iam::123456789012:role/Dunning-SchedulerRole',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:Dunning-Deferrals-DLQ',
  groupName: 'dunning-deferrals',
};
const hours = parseBusinessHours('Mon-Fri 09:00-17:00');

describe('EventBridge Scheduler deferrals', () => {
  const scheduler = mockClient(SchedulerClient);

  beforeEach(() => {
    scheduler.reset();
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
  });

  it('creates a one-time schedule at the next opening in the customer zone, deleted after it runs', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const opening = nextOpening(new Date('2026-03-13T22:00:00Z'), 'Pacific/Kiritimati', hours);

    const outcome = await new EventBridgeDeferralScheduler(client, settings).defer({
      customerId: 'cus-42',
      runId: 'run-1',
      opening,
    });

    expect(outcome).toBe('scheduled');
    expect(scheduler).toReceiveCommandTimes(CreateScheduleCommand, 1);
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      Name: expect.stringMatching(/^defer-[0-9a-f]{16}-20260316T0900$/),
      GroupName: 'dunning-deferrals',
      ScheduleExpression: 'at(2026-03-16T09:00:00)',
      ScheduleExpressionTimezone: 'Pacific/Kiritimati',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: settings.runFunctionArn,
        RoleArn: settings.roleArn,
        Input: JSON.stringify({ kind: 'deferred', customerId: 'cus-42', runId: 'run-1' }),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 5 },
        DeadLetterConfig: { Arn: settings.deadLetterArn },
      },
    });
  });

  it('keeps the half-hour zone wall clock in the at() expression for Asia/Kolkata', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const opening = nextOpening(new Date('2026-03-10T12:00:00Z'), 'Asia/Kolkata', hours); // 17:30 IST

    await new EventBridgeDeferralScheduler(client, settings).defer({ customerId: 'c', runId: 'r', opening });

    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      ScheduleExpression: 'at(2026-03-11T09:00:00)',
      ScheduleExpressionTimezone: 'Asia/Kolkata',
    });
  });

  it('treats a schedule that already exists as already scheduled', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} }));
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const opening = nextOpening(new Date('2026-03-14T10:00:00Z'), 'Europe/Berlin', hours);

    const outcome = await new EventBridgeDeferralScheduler(client, settings).defer({
      customerId: 'cus-42',
      runId: 'run-2',
      opening,
    });

    expect(outcome).toBe('already_scheduled');
  });

  it('names the same customer and opening identically from two runs, so only one schedule exists', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });
    const opening = nextOpening(new Date('2026-03-14T10:00:00Z'), 'Europe/Berlin', hours);
    const deferrals = new EventBridgeDeferralScheduler(client, settings);

    await deferrals.defer({ customerId: 'cus-42', runId: 'run-a', opening });
    await deferrals.defer({ customerId: 'cus-42', runId: 'run-b', opening });

    const names = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.Name);
    expect(names[0]).toBe(names[1]);
  });

  it('continues a checkpointed run in a fresh invocation a minute later', async () => {
    const client = new SchedulerClient({ region: 'eu-west-1' });

    await new EventBridgeDeferralScheduler(client, settings).continueRun(
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
