import { defaultFetch } from '../../shared/http/fetch.ts';
import { ndjsonHttpDestination } from '../../shared/logs/destinations/ndjson-http.ts';
import { FailureStore, type FailureStoreClient } from '../../shared/logs/failure-store.ts';
import { type ForwardSummary, forwardLogs } from '../../shared/logs/forward-logs.ts';
import { createPipeline } from '../../shared/logs/pipeline.ts';
import { systemClock } from '../../shared/time/clock.ts';

/**
 * The forwarder's core as the deployed function runs it (decode → parse → filter/redact → serialize → POST),
 * with the documented drop rule and redaction on, and an NDJSON destination on a loopback sink. The sink
 * accepts everything, so the failure store is never written: a client that fails the run if it ever is, and
 * that keeps the sandbox (and every other capability's code) out of the measured process.
 */
export function benchForwarder(sinkUrl: string, options: { gzip: boolean }) {
  const pipeline = createPipeline({
    drop: [{ logTypes: ['audit'], verbs: ['get', 'list', 'watch'], users: ['system:node:*'] }],
    redaction: { enabled: true, patterns: [] },
  });
  const destinations = [ndjsonHttpDestination({ name: 'bench', url: `${sinkUrl}/ingest`, gzip: options.gzip, fetch: defaultFetch })];
  const unused: FailureStoreClient = {
    send: async () => {
      throw new Error('the bench forwarder tried to write its failure store: the sink refused something');
    },
  };
  const store = new FailureStore(unused, 'bench-failures');
  return async (event: { awslogs: { data: string } }): Promise<ForwardSummary> => {
    const summary = await forwardLogs(event, { pipeline, destinations, store, clock: systemClock, remainingMs: () => 900_000, warn: () => undefined });
    if ((summary.destinations.bench?.failed ?? 0) > 0 || summary.outcome !== 'forwarded') throw new Error(`the bench forwarder did not deliver everything: ${JSON.stringify(summary)}`);
    return summary;
  };
}
