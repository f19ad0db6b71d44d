import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClientFactory } from '../aws/client-factory.ts';
import { type Clock, systemClock } from '../time/clock.ts';

/** The env var with the FailureQueue's URL (`{ Ref: FailureQueue }` in serverless/<capability>.functions.yml). */
export const FAILURE_QUEUE_URL_ENV = 'EKSOPS_FAILURE_QUEUE_URL';

/**
 * What eksops puts in the failure queue for an event it rejected: the shape of the record Lambda's own
 * on-failure destination writes (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html),
 * so whoever reads the queue reads both alike. `condition` says which of the two wrote it: Lambda writes
 * `RetriesExhausted` or `EventAgeExceeded`; eksops writes `InvalidEvent`, after one attempt.
 */
export interface FailedEventRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: 'InvalidEvent'; approximateInvokeCount: 1 };
  requestPayload: unknown;
  responseContext: { statusCode: 200; executedVersion: string };
  responsePayload: { errorType: string; errorMessage: string };
}

/** The one operation eksops calls on the queue; the queue stamps the record with its clock's time. */
export interface FailureQueue {
  send(record: Omit<FailedEventRecord, 'timestamp'>): Promise<void>;
}

/**
 * The FailureQueue through the client factory (the sandbox answers it from the in-memory account). The SQS
 * client is loaded and built at the first invalid event, not at cold start: most invocations never need it.
 */
export function sqsFailureQueue(clients: Pick<AwsClientFactory, 'client'>, queueUrl: string, clock: Clock = systemClock): FailureQueue {
  let sqs: SQSClient | undefined;
  return {
    async send(record) {
      const { SendMessageCommand, SQSClient } = await import('@aws-sdk/client-sqs');
      sqs ??= clients.client(SQSClient);
      const { version, ...rest } = record;
      const stamped: FailedEventRecord = { version, timestamp: clock.now().toISOString(), ...rest };
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(stamped) }));
    },
  };
}

/**
 * The error-policy option of an asynchronously invoked function (EventBridge, schedules, CloudWatch Logs
 * subscriptions): an invalid event goes to the failure queue at once instead of through Lambda's two
 * retries. Without the queue's URL in the environment (a test, a function that is not deployed so), the
 * event is rethrown and Lambda's on-failure destination still keeps it.
 */
export function asynchronousInvocation(deps: { clients: AwsClientFactory; env?: Readonly<Record<string, string | undefined>> | undefined; clock?: Clock }): { failureQueue?: FailureQueue } {
  const queueUrl = deps.env?.[FAILURE_QUEUE_URL_ENV];
  return queueUrl ? { failureQueue: sqsFailureQueue(deps.clients, queueUrl, deps.clock) } : {};
}
