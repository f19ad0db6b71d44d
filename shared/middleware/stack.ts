import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { classifyFailure, describeError, InvalidEventError } from './errors.ts';
import { logger, metrics } from './observability.ts';

export interface StackOptions<S extends z.ZodType> {
  /** The event schema; invalid events are rejected with the reason and the path of the offending field. */
  schema: S;
  /** JMESPath to the correlation id in the raw event, e.g. `id` for EventBridge events. */
  correlationIdPath?: string;
}

/**
 * Classifies every failure, logs it once with its kind, and rethrows so that Lambda (async retries, then
 * the on-failure destination), SQS or Step Functions does what the kind calls for. A schema failure
 * becomes an InvalidEventError that names the offending fields.
 */
function errorPolicy(): MiddlewareObj {
  return {
    onError: async (request) => {
      const original = request.error;
      const error = original?.name === 'ParseError' ? toInvalidEvent(original) : original;
      const described = describeError(error);
      logger.error('invocation failed', { failure: described, error });
      metrics.addMetric(`failures_${described.kind.replace('-', '_')}`, 'Count', 1);
      request.error = error ?? null;
    },
  };
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
  return middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, ...(options.correlationIdPath ? { correlationIdPath: options.correlationIdPath } : {}) }))
    .use(logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }))
    .use(errorPolicy())
    .use(parser({ schema: options.schema }) as MiddlewareObj<unknown, R, Error, Context>)
    .handler((event, context) => core(event as z.infer<S>, context));
}

export { classifyFailure };
