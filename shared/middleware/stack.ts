import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { classifyFailure, describeError, InvalidEventError } from '../errors.ts';
import type { FailedEventRecord, FailureQueue } from './failure-queue.ts';
import { logger, metrics } from './observability.ts';

export interface StackOptions<S extends z.ZodType> {
  /** The event schema; invalid events are rejected with the reason and the path of the offending field. */
  schema: S;
  /** JMESPath to the correlation id in the raw event, e.g. `id` for EventBridge events. */
  correlationIdPath?: string;
  /**
   * Asynchronously invoked functions only (see `asynchronousInvocation`): where an invalid event goes, once,
   * instead of being thrown back to Lambda, which would retry it twice for nothing. Synchronous callers
   * (Step Functions tasks, the function URL) leave it out: they must get the error, so that their Catch /
   * Retry or the HTTP client see it.
   */
  failureQueue?: FailureQueue;
}

/** What an asynchronously invoked function returns for an event it sent to the failure queue. */
export interface RejectedEvent {
  outcome: 'rejected';
  reason: string;
}

/**
 * Classifies every failure and logs it once with its kind. An invalid event given a failure queue is sent
 * there with its reason and the invocation ends without error: no retry can make it valid (ARCHITECTURE §6).
 * Everything else is rethrown so that Lambda (async retries, then the on-failure destination), SQS or Step
 * Functions does what the kind calls for. A schema failure becomes an InvalidEventError that names the
 * offending fields.
 */
function errorPolicy(failureQueue: FailureQueue | undefined): MiddlewareObj<unknown, unknown, Error, Context> {
  // The event as it arrived: the parser replaces request.event with the parsed one.
  const rawEvents = new WeakMap<object, unknown>();
  return {
    before: (request) => {
      rawEvents.set(request, request.event);
    },
    onError: async (request) => {
      const original = request.error;
      const error = original?.name === 'ParseError' ? toInvalidEvent(original) : original;
      const described = describeError(error);
      if (described.kind === 'invalid-input' && failureQueue) {
        const rejected = await sendToFailureQueue(failureQueue, failedEventRecord(rawEvents.has(request) ? rawEvents.get(request) : request.event, request.context, described));
        if (rejected) {
          logger.error('invalid event sent to the failure queue, not retried', { failure: described, error });
          metrics.addMetric('failures_invalid_input', 'Count', 1);
          metrics.addMetric('events_sent_to_failure_queue', 'Count', 1);
          // Set, not returned: a returned value would skip the onError of the metrics and logger middlewares.
          request.response = { outcome: 'rejected', reason: described.message } satisfies RejectedEvent;
          return;
        }
      }
      logger.error('invocation failed', { failure: described, error });
      metrics.addMetric(`failures_${described.kind.replace('-', '_')}`, 'Count', 1);
      request.error = error ?? null;
    },
  };
}

function failedEventRecord(event: unknown, context: Context, failure: { name: string; message: string }): Omit<FailedEventRecord, 'timestamp'> {
  return {
    version: '1.0',
    requestContext: { requestId: context.awsRequestId, functionArn: context.invokedFunctionArn, condition: 'InvalidEvent', approximateInvokeCount: 1 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: context.functionVersion ?? '$LATEST' },
    responsePayload: { errorType: failure.name, errorMessage: failure.message },
  };
}

/** False when the queue cannot take it (throttled, too large, not allowed): then Lambda's own retries and destination keep it. */
async function sendToFailureQueue(queue: FailureQueue, record: Omit<FailedEventRecord, 'timestamp'>): Promise<boolean> {
  try {
    await queue.send(record);
    return true;
  } catch (error) {
    logger.warn('the failure queue did not take the invalid event: it is rethrown for Lambda to keep', { failure: describeError(error), error });
    return false;
  }
}

function toInvalidEvent(error: Error): InvalidEventError {
  const issues = findZodIssues(error.cause);
  const reason = issues.length > 0 ? issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ') : error.message;
  return new InvalidEventError(`invalid event: ${reason}`, { cause: error });
}

type Issue = { path: PropertyKey[]; message: string };

// Powertools' ParseError carries the schema's issues as its cause: a ZodError, or the bare issue list.
function findZodIssues(cause: unknown): Issue[] {
  const issues = Array.isArray(cause) ? cause : typeof cause === 'object' && cause !== null && 'issues' in cause ? cause.issues : undefined;
  return Array.isArray(issues) ? issues.filter(isIssue) : [];
}

function isIssue(value: unknown): value is Issue {
  return typeof value === 'object' && value !== null && 'path' in value && Array.isArray(value.path) && 'message' in value && typeof value.message === 'string';
}

/** The middy stack every eksops handler uses: logger with correlation id, EMF metrics, parsing, error policy. */
export function eksopsHandler<S extends z.ZodType, R>(options: StackOptions<S>, core: (event: z.infer<S>, context: Context) => Promise<R>) {
  return middy<unknown, R | RejectedEvent, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, ...(options.correlationIdPath ? { correlationIdPath: options.correlationIdPath } : {}) }))
    .use(logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }))
    .use(errorPolicy(options.failureQueue) as MiddlewareObj<unknown, R | RejectedEvent, Error, Context>)
    .use(parser({ schema: options.schema }) as MiddlewareObj<unknown, R | RejectedEvent, Error, Context>)
    .handler((event, context) => core(event as z.infer<S>, context));
}

export { classifyFailure };
