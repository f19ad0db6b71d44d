import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { destinationsFromConfig } from '../../shared/logs/destinations/from-config.ts';
import { FailureStore } from '../../shared/logs/failure-store.ts';
import { type ForwardSummary, forwardLogs } from '../../shared/logs/forward-logs.ts';
import { createPipeline } from '../../shared/logs/pipeline.ts';
import { SubscriptionEventSchema } from '../../shared/logs/subscription-payload.ts';
import { addDimensionedCounts, logger, metrics } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';

export type LogForwarderDeps = Pick<FunctionDeps, 'config' | 'clients' | 'clock' | 'fetch' | 'env'>;

export class MissingFailureBucketError extends Error {
  override readonly name = 'MissingFailureBucketError';
}

/**
 * Invoked by the CloudWatch Logs subscription filter of each EKS control-plane log group (asynchronously:
 * Lambda retries a failed invocation twice, then sends the event to the on-failure destination). Built
 * once per cold start: the pipeline, the destinations and the failure store.
 */
export function makeHandler(deps: LogForwarderDeps) {
  const bucket = deps.env.EKSOPS_LOGS_FAILURE_BUCKET;
  if (!bucket) throw new MissingFailureBucketError('EKSOPS_LOGS_FAILURE_BUCKET is not set: the forwarder needs its failure store');
  const pipeline = createPipeline({ drop: deps.config.logs.drop, redaction: deps.config.logs.redaction });
  const destinations = destinationsFromConfig(deps.config.logs.destinations, { clients: deps.clients, fetch: deps.fetch });
  const store = new FailureStore(deps.clients.client(S3Client), bucket);
  return eksopsHandler({ schema: SubscriptionEventSchema }, async (event, context: Context) => {
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

/**
 * events in / filtered / redacted / rejected, and forwarded / stored as failed per destination (a single
 * metric per value, each with its `destination` dimension). `target`: the process's metrics, or a
 * test's.
 */
export function recordMetrics(summary: ForwardSummary, target: Metrics = metrics): void {
  target.addMetric('log_events_in', MetricUnit.Count, summary.eventsIn);
  target.addMetric('log_events_filtered', MetricUnit.Count, summary.filtered);
  target.addMetric('log_events_redacted', MetricUnit.Count, summary.redacted);
  target.addMetric('log_events_rejected', MetricUnit.Count, summary.rejected);
  for (const [destination, counts] of Object.entries(summary.destinations)) {
    addDimensionedCounts({ name: 'destination', value: destination }, { log_events_forwarded: counts.forwarded, log_events_failed: counts.failed }, target);
  }
}
