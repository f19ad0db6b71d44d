import { Logger } from '@aws-lambda-powertools/logger';
import { search } from '@aws-lambda-powertools/logger/correlationId';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance per process (Powertools reads POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE from the environment set in serverless.yml).
 * Per-invocation context (request id, correlation id, cold start) is added by the middleware stack.
 */
export const logger = new Logger({ serviceName: 'eksops', correlationIdSearchFn: search });

// Metrics' own warnings ("no application metrics") go through the logger, as structured JSON.
export const metrics = new Metrics({ namespace: 'eksops', serviceName: 'eksops', logger });

/**
 * Count metrics under one dimension (per destination, per cluster). Each value is its own single metric:
 * Powertools publishes a single metric, and clears its dimensions, at its first addMetric, so a second
 * value added to the same one would be published without the dimension.
 */
export function addDimensionedCounts(dimension: { name: string; value: string }, counts: Readonly<Record<string, number>>, target: Metrics = metrics): void {
  for (const [name, value] of Object.entries(counts)) {
    const single = target.singleMetric();
    single.addDimension(dimension.name, dimension.value);
    single.addMetric(name, MetricUnit.Count, value);
  }
}
