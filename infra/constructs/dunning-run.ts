import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DunningSettings } from '../settings.ts';
import { settingsEnvironment } from '../settings.ts';
import type { Data } from './data.ts';
import { deadLetterQueue } from './dead-letters.ts';
import { DunningFunction } from './dunning-function.ts';

/** Where the run bundle carries the repository's `templates/` (copied in after bundling). */
export const BUNDLED_TEMPLATES_DIR = '/var/task/templates';

export interface DunningRunProps {
  readonly data: Data;
  readonly settings: DunningSettings;
  readonly configurationSetName: string;
  /** Base URL of the payment function, for links back to the deployment (opt-out). */
  readonly publicUrl: string;
}

/**
 * Invokes the run Lambda. Unlike the stock LambdaInvoke target, whose grant adds `<function>:*` (every
 * version and alias), Scheduler's role may invoke the unqualified function only: the daily schedule
 * and the run's deferral schedules all target it that way.
 */
class RunFunctionTarget extends ScheduleTargetBase {
  constructor(
    private readonly runFunction: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(props, runFunction.functionArn);
  }

  protected addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.runFunction.functionArn] }),
    );
  }
}

/** `HH:MM` to the minute and hour fields of a cron expression. */
const cronTime = (clock: string): { hour: string; minute: string } => {
  const [hour = '0', minute = '0'] = clock.split(':');
  return { hour: String(Number(hour)), minute: String(Number(minute)) };
};

/**
 * The daily dunning run: the run Lambda, the EventBridge Scheduler schedule that starts it each day at
 * `DUNNING_RUN_AT` in `DUNNING_TIME_ZONE`, and what the run needs to defer a customer's reminder to
 * their business hours with one one-time schedule per opening instant (a group, a role for Scheduler,
 * a dead-letter queue).
 */
export class DunningRun extends Construct {
  readonly handler: DunningFunction;
  readonly schedule: Schedule;
  readonly deferrals: ScheduleGroup;
  readonly schedulerRole: Role;
  readonly deadLetterQueue: Queue;
  /** The run function's async on-failure destination: invocations that failed after their retries. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: DunningRunProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.deadLetterQueue = deadLetterQueue(
      this,
      'InvocationDeadLetters',
      'the dead-letter queue of the daily and deferral schedules (EventBridge Scheduler DeadLetterConfig)',
    );

    // Named after the stack so the run's CreateSchedule grant (and its acknowledgement) reads plainly.
    const deferralGroupName = `${stack.stackName}-deferrals`;
    this.deferrals = new ScheduleGroup(this, 'Deferrals', {
      scheduleGroupName: deferralGroupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.schedulerRole = this.schedulerRoleOf(stack);
    this.handler = this.runFunction(props);
    this.failures = this.onFailureQueue();
    this.grantDeferrals(stack, deferralGroupName);
    this.schedule = this.dailySchedule(props);
  }

  /** The role Scheduler assumes for the daily schedule and the deferrals, and for nothing else. */
  private schedulerRoleOf(stack: Stack): Role {
    const defaultGroupArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: 'default',
    });
    return new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to start the dunning run (daily and deferred)',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': [defaultGroupArn, this.deferrals.scheduleGroupArn],
          },
        },
      }),
    });
  }

  private runFunction(props: DunningRunProps): DunningFunction {
    return new DunningFunction(this, 'RunFunction', {
      entry: 'functions/run/handler.ts',
      description: 'The daily dunning run and deferred reminders',
      // A run checkpoints and continues in a fresh invocation, so it never needs the 15-minute maximum.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      environment: {
        ...settingsEnvironment(props.settings),
        DUNNING_TABLE_NAME: props.data.table.tableName,
        DUNNING_CONFIGURATION_SET: props.configurationSetName,
        DUNNING_SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
        DUNNING_SCHEDULE_GROUP: this.deferrals.scheduleGroupName,
        DUNNING_DEFERRAL_DLQ_ARN: this.deadLetterQueue.queueArn,
        DUNNING_TEMPLATES_DIR: BUNDLED_TEMPLATES_DIR,
        DUNNING_PUBLIC_URL: props.publicUrl,
        // DUNNING_RUN_FUNCTION_ARN is left out: it would reference this function from its own
        // definition; the handler takes its ARN from the invocation context instead.
      },
      table: { data: props.data, access: 'read-write' },
      bundledFolders: ['templates'],
    });
  }

  private onFailureQueue(): Queue {
    const failures = deadLetterQueue(
      this,
      'InvocationFailures',
      "the run function's on-failure destination (Lambda async invocation config)",
    );
    // Scheduler invokes the run asynchronously: two retries, then the event and its error land here (alarmed).
    this.handler.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(failures),
    });
    return failures;
  }

  /** The run creates one-time schedules in the deferral group, for Scheduler's role only. */
  private grantDeferrals(stack: Stack, deferralGroupName: string): void {
    this.handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${deferralGroupName}/*`,
          }),
        ],
      }),
    );
    Validations.of(this.handler).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${deferralGroupName}/*]`,
      reason:
        'Deferral schedules are named per customer and run at run time; the grant is CreateSchedule only, confined to the deferral group.',
    });
    this.handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }

  private dailySchedule(props: DunningRunProps): Schedule {
    return new Schedule(this, 'Daily', {
      description: `Daily dunning run at ${props.settings.runAt} ${props.settings.timeZone}`,
      schedule: ScheduleExpression.cron({
        ...cronTime(props.settings.runAt),
        timeZone: TimeZone.of(props.settings.timeZone),
      }),
      timeWindow: TimeWindow.off(),
      target: new RunFunctionTarget(this.handler.function, {
        role: this.schedulerRole,
        input: ScheduleTargetInput.fromObject({ kind: 'daily' }),
        deadLetterQueue: this.deadLetterQueue,
        // A run is idempotent (stage claims), so retrying a failed start for a few hours is safe.
        retryAttempts: 4,
        maxEventAge: Duration.hours(3),
      }),
    });
  }
}
