import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { Clock } from '../../shared/time/clock.ts';

/** A Lambda context for a local invocation: the remaining time runs on the sandbox's clock. */
export function lambdaContext(options: { functionName: string; region: string; accountId: string; timeoutSeconds: number; clock: Clock }): Context {
  const deadline = options.clock.now().getTime() + options.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `sandbox/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - options.clock.now().getTime()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
