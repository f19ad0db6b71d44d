import type { Context } from 'aws-lambda';
import { destinationsFromConfig } from '../../shared/logs/destinations/from-config.ts';
import { failureStoreFromEnv } from '../../shared/logs/failure-bucket.ts';
import { forwardLogs } from '../../shared/logs/forward-logs.ts';
import { recordMetrics } from '../../shared/logs/forwarder-metrics.ts';
import { createPipeline } from '../../shared/logs/pipeline.ts';
import { SubscriptionEventSchema } from '../../shared/logs/subscription-payload.ts';
import { asynchronousInvocation } from '../../shared/middleware/failure-queue.ts';
import { logger } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';

export type LogForwarderDeps = Pick<FunctionDeps, 'config' | 'clients' | 'clock' | 'fetch' | 'env'>;

/**
 * Invoked by the CloudWatch Logs subscription filter of each EKS control-plane log group (asynchronously:
 * Lambda retries a failed invocation twice, then sends the event to the on-failure destination). Built
 * once per cold start: the pipeline, the destinations and the failure store.
 */
export function makeHandler(deps: LogForwarderDeps) {
  const store = failureStoreFromEnv(deps, 'the forwarder needs');
  const pipeline = createPipeline({ drop: deps.config.logs.drop, redaction: deps.config.logs.redaction });
  const destinations = destinationsFromConfig(deps.config.logs.destinations, { clients: deps.clients, fetch: deps.fetch });
  return eksopsHandler({ schema: SubscriptionEventSchema, ...asynchronousInvocation(deps) }, async (event, context: Context) => {
    const summary = await forwardLogs(event, {
      pipeline,
      destinations,
      store,
      clock: deps.clock,
      remainingMs: () => context.getRemainingTimeInMillis(),
      warn: (message, details) => logger.warn(message, details),
    });
    recordMetrics(summary);
    logger.info('log batch handled', { ...summary });
    return summary;
  });
}
