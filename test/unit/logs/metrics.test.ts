import { describe, expect, it } from '@jest/globals';
import { recordMetrics } from '../../../shared/logs/forwarder-metrics.ts';
import type { ForwardSummary } from '../../../shared/logs/forward-logs.ts';
import { publishedEmf } from '../middleware/emf.ts';

const summary: ForwardSummary = {
  outcome: 'forwarded',
  eventsIn: 120,
  filtered: 30,
  redacted: 4,
  unparsed: 1,
  rejected: 2,
  destinations: { splunk: { forwarded: 88, failed: 0 }, archive: { forwarded: 60, failed: 28 } },
  storedKeys: [],
};

/** The forwarder's metrics as CloudWatch receives them: Embedded Metric Format lines on stdout. */
describe('the log forwarder metrics', () => {
  it('publishes events in, filtered, redacted and rejected for the invocation', () => {
    const blobs = publishedEmf((metrics) => recordMetrics(summary, metrics));
    const invocation = blobs.find((blob) => 'log_events_in' in blob);

    expect(invocation).toMatchObject({ log_events_in: 120, log_events_filtered: 30, log_events_redacted: 4, log_events_rejected: 2, service: 'eksops' });
    expect(invocation?._aws.CloudWatchMetrics[0]?.Namespace).toBe('eksops');
    expect(invocation?._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name).sort()).toEqual(['log_events_filtered', 'log_events_in', 'log_events_redacted', 'log_events_rejected']);
  });

  it('publishes forwarded and failed per destination, under a destination dimension', () => {
    const blobs = publishedEmf((metrics) => recordMetrics(summary, metrics));
    const perDestination = blobs.filter((blob) => 'destination' in blob);
    const values = (destination: string, name: string) => perDestination.find((blob) => blob.destination === destination && name in blob)?.[name];

    expect(values('splunk', 'log_events_forwarded')).toBe(88);
    expect(values('splunk', 'log_events_failed')).toBe(0);
    expect(values('archive', 'log_events_forwarded')).toBe(60);
    expect(values('archive', 'log_events_failed')).toBe(28);
    for (const blob of perDestination) expect(blob._aws.CloudWatchMetrics[0]?.Dimensions[0]).toContain('destination');
  });
});
