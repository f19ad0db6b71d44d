import { describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { InvalidEventError, PermanentError } from '../../../shared/errors.ts';
import type { FailedEventRecord, FailureQueue } from '../../../shared/middleware/failure-queue.ts';
import { eksopsHandler } from '../../../shared/middleware/stack.ts';

const context = { awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-fn', functionVersion: '$LATEST', functionName: 'fn', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const Schema = z.object({ name: z.string(), size: z.number() });

/** A queue that keeps what it is sent (the sandbox's SQS is in test/integration/errors). */
function keepingQueue(): FailureQueue & { records: Omit<FailedEventRecord, 'timestamp'>[] } {
  const records: Omit<FailedEventRecord, 'timestamp'>[] = [];
  return { records, send: async (record) => void records.push(record) };
}

describe('the error policy of the middleware stack', () => {
  it('throws an invalid event back to a synchronous caller (Step Functions Catch, the function URL), naming the fields', async () => {
    const handler = eksopsHandler({ schema: Schema }, async (event) => event.name);
    await expect(handler({ name: 1 }, context)).rejects.toMatchObject({ name: 'InvalidEventError', message: expect.stringMatching(/name: .*; size: /) });
  });

  it('sends an event the core finds invalid after parsing as it arrived, unknown fields included', async () => {
    const queue = keepingQueue();
    const handler = eksopsHandler({ schema: Schema, failureQueue: queue }, async (event) => {
      if (event.size < 0) throw new InvalidEventError(`invalid event: size ${event.size} is negative`);
      return event.name;
    });
    const raw = { name: 'a', size: -1, extra: { kept: true } };
    expect(await handler(raw, context)).toEqual({ outcome: 'rejected', reason: 'invalid event: size -1 is negative' });
    expect(queue.records).toEqual([expect.objectContaining({ requestPayload: raw, requestContext: expect.objectContaining({ requestId: 'req-1', condition: 'InvalidEvent' }) })]);
  });

  it('keeps throwing permanent and transient failures even with a queue: only invalid input is not retried', async () => {
    const queue = keepingQueue();
    const permanent = eksopsHandler({ schema: Schema, failureQueue: queue }, async () => {
      throw new PermanentError('needs a person');
    });
    const transient = eksopsHandler({ schema: Schema, failureQueue: queue }, async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    await expect(permanent({ name: 'a', size: 1 }, context)).rejects.toMatchObject({ name: 'PermanentError' });
    await expect(transient({ name: 'a', size: 1 }, context)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(queue.records).toEqual([]);
  });

  it('rethrows the invalid event when the queue refuses it, so that Lambda keeps it', async () => {
    const handler = eksopsHandler({ schema: Schema, failureQueue: { send: async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDenied' })) } }, async (event) => event.name);
    await expect(handler({}, context)).rejects.toMatchObject({ name: 'InvalidEventError' });
  });
});
