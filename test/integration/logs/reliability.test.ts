import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { destinationsFromConfig } from '../../../shared/logs/destinations/from-config.ts';
import { forwardLogs } from '../../../shared/logs/forward-logs.ts';
import { createPipeline } from '../../../shared/logs/pipeline.ts';
import { decodeSubscriptionData } from '../../../shared/logs/subscription-payload.ts';
import { replayFailures } from '../../../shared/logs/replay.ts';
import { fixtureLines } from '../../unit/logs/fixtures.ts';
import { FaultSink, seededRandom } from './fault-sink.ts';
import { logsSandbox, storedLines, subscriptionEvent } from './harness.ts';

const INVOCATIONS = 200;
const EVENTS_PER_INVOCATION = 500;
const TOTAL = INVOCATIONS * EVENTS_PER_INVOCATION;

let sink: FaultSink;
let url: string;
beforeAll(async () => {
  sink = new FaultSink({ failureRate: 0.3, random: seededRandom(20260302) });
  url = await sink.start();
});
afterAll(async () => {
  await sink.close();
});

describe('reliability: 100,000 events through a destination that fails 30% of requests', () => {
  it('delivers or stores every event, replay delivers the rest, and duplicates stay within what the retries explain', async () => {
    const sandbox = logsSandbox({ destinations: [{ name: 'flaky', type: 'http', url, gzip: true }] });
    const destinations = destinationsFromConfig(sandbox.config.logs.destinations, { clients: sandbox.aws.clients, fetch });
    const pipeline = createPipeline({ drop: [], redaction: sandbox.config.logs.redaction });
    const lines = [...fixtureLines('real/apiserver.log'), ...fixtureLines('real/scheduler.log'), ...fixtureLines('real/controller-manager.log')];
    const sent = new Set<string>();
    let failedToStore = 0;
    for (let invocation = 0; invocation < INVOCATIONS; invocation++) {
      const messages = Array.from({ length: EVENTS_PER_INVOCATION }, (_, index) => lines[(invocation + index) % lines.length] ?? '');
      const event = subscriptionEvent('kube-apiserver-6b1f', messages);
      const deadline = sandbox.aws.clock.now().getTime() + 30_000;
      const summary = await forwardLogs(event, {
        pipeline,
        destinations,
        store: sandbox.store,
        clock: sandbox.aws.clock,
        remainingMs: () => deadline - sandbox.aws.clock.now().getTime(),
        // A short request timeout keeps the "never answered" fault quick in real time; backoff runs on virtual time.
        // Three attempts per batch, so that some batches do end in the failure store and replay has work.
        delivery: { requestTimeoutMs: 300, maxAttempts: 3 },
        warn: () => undefined,
      });
      failedToStore += summary.destinations.flaky?.failed ?? 0;
      // The ids CloudWatch gave the events: what must end up at the destination.
      const decoded = decodeSubscriptionData(event.awslogs.data);
      if (decoded.kind === 'data') for (const logEvent of decoded.payload.logEvents) sent.add(logEvent.id);
    }
    expect(sent.size).toBe(TOTAL);
    const stored = storedLines<{ record: { id: string } }>(sandbox.aws, 'failed/').map((line) => line.record.id);
    expect(stored.length).toBe(failedToStore);
    expect(stored.length).toBeGreaterThan(0);
    // Every event is at the destination or in the failure store.
    const missing = [...sent].filter((id) => !sink.received.has(id) && !stored.includes(id));
    expect(missing).toEqual([]);
    expect(sink.faults['status-500'] + sink.faults['status-429'] + sink.faults.timeout + sink.faults.reset).toBeGreaterThan(0);

    const replay = await replayFailures(sandbox.store, destinations, {
      clock: sandbox.aws.clock,
      remainingMs: () => 900_000,
      requestTimeoutMs: 300,
      maxAttempts: 50,
    });
    expect(replay.remaining).toBe(0);
    expect([...sent].filter((id) => !sink.received.has(id))).toEqual([]);

    // A duplicate comes from a batch the sink kept without the sender knowing (an injected timeout or reset,
    // or an answer slower than the request timeout), then sent again: every request beyond the first one per
    // batch is such a retry, and each can duplicate at most one batch.
    const duplicates = [...sink.received.values()].reduce((sum, count) => sum + count - 1, 0);
    const retries = sink.requests - INVOCATIONS;
    expect(retries).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(retries * EVENTS_PER_INVOCATION);
    expect(sink.received.size).toBe(TOTAL);
  }, 120_000);
});
