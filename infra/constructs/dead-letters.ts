import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue where what could not be delivered waits two weeks for a person (each is alarmed): encrypted,
 * TLS only. It is itself a dead-letter queue or an on-failure destination, which cdk-nag's SQS3 only
 * recognises for SQS redrive, so the finding is acknowledged with what the queue is for.
 */
export const deadLetterQueue = (scope: Construct, id: string, servesAs: string): Queue => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SQS3',
    reason: `This queue is itself ${servesAs}, which cdk-nag only recognises for SQS redrive.`,
  });
  return queue;
};
