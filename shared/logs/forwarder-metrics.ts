import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { addDimensionedCounts, metrics } from '../middleware/observability.ts';
import type { ForwardSummary } from './forward-logs.ts';

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
