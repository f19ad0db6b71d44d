import type { Clock } from '../time/clock.ts';
import { type DeliveryOptions, type DeliveryReport, deliverOutbox, type FailedDelivery } from './delivery.ts';
import type { LogDestination } from './destinations/destination.ts';
import type { FailureStore, StoredRejection } from './failure-store.ts';
import { Outbox } from './outbox.ts';
import type { Pipeline, PipelineResult } from './pipeline.ts';
import { decodeSubscriptionData, type SubscriptionEvent } from './subscription-payload.ts';

export interface ForwardDeps {
  pipeline: Pipeline;
  destinations: readonly LogDestination[];
  store: FailureStore;
  clock: Clock;
  remainingMs: () => number;
  delivery?: Partial<Omit<DeliveryOptions, 'clock' | 'remainingMs'>>;
  /** Where reasons for skipped or rejected input go (the Powertools logger in production). */
  warn: (message: string, details: Record<string, unknown>) => void;
}

/** What one invocation did; the handler turns it into metrics, tests assert on it. */
export interface ForwardSummary {
  outcome: 'control-message' | 'undecodable' | 'forwarded';
  logGroup?: string;
  logStream?: string;
  eventsIn: number;
  filtered: number;
  redacted: number;
  unparsed: number;
  /** Events that cannot become records (not EKS, over 1 MB, malformed, failing to process), kept under rejected/ in the failure store. */
  rejected: number;
  /** Per destination: records delivered, and records written to the failure store. */
  destinations: Record<string, { forwarded: number; failed: number }>;
  storedKeys: string[];
  reason?: string;
}

/**
 * The forwarder's core: decode → parse/filter/redact → deliver → store what was not delivered. It resolves
 * only when every event is delivered, filtered, or in the failure store; when the store itself fails it
 * throws, so that Lambda retries the invocation and, after its retries, the on-failure destination keeps
 * the payload. Duplicates are possible on such a retry (delivery is at least once).
 */
export async function forwardLogs(event: SubscriptionEvent, deps: ForwardDeps): Promise<ForwardSummary> {
  const decoded = decodeSubscriptionData(event.awslogs.data);
  const summary: ForwardSummary = { outcome: 'forwarded', eventsIn: 0, filtered: 0, redacted: 0, unparsed: 0, rejected: 0, destinations: {}, storedKeys: [] };
  if (decoded.kind === 'control') {
    // CloudWatch's reachability check when a subscription is created: acknowledged, never forwarded.
    return { ...summary, outcome: 'control-message' };
  }
  const now = deps.clock.now();
  if (decoded.kind === 'invalid') {
    deps.warn('subscription payload cannot be decoded; kept in the failure store', { failure: decoded.failure, reason: decoded.reason });
    const key = await deps.store.storeRejected([{ reason: decoded.reason, rejectedAt: now.toISOString(), data: event.awslogs.data }], now);
    return { ...summary, outcome: 'undecodable', reason: decoded.reason, storedKeys: key ? [key] : [] };
  }
  const { payload } = decoded;
  Object.assign(summary, { logGroup: payload.logGroup, logStream: payload.logStream });
  if (decoded.invalidUtf8) {
    deps.warn('payload contains bytes that are not UTF-8; they were replaced by U+FFFD and the events kept', { logGroup: payload.logGroup, logStream: payload.logStream });
  }
  // Records go into the outbox as the pipeline makes them: serialized while fresh, held as bytes.
  const outbox = new Outbox(deps.destinations);
  let result: PipelineResult;
  let report: DeliveryReport;
  try {
    result = deps.pipeline(payload, (record) => outbox.add(record));
    report = await deliverOutbox(outbox, { clock: deps.clock, remainingMs: deps.remainingMs, ...deps.delivery });
  } finally {
    // What was not delivered is in `report` (each record's id and JSON): the outbox's bytes are no longer needed.
    outbox.release();
  }
  const malformed = decoded.malformed ?? [];
  Object.assign(summary, { eventsIn: result.eventsIn + malformed.length, filtered: result.filtered, redacted: result.redacted, unparsed: result.unparsed, rejected: result.rejected.length + malformed.length });
  if (result.rejected.length > 0 || malformed.length > 0) {
    deps.warn('events rejected; kept in the failure store', { logGroup: payload.logGroup, count: result.rejected.length + malformed.length, reason: (result.rejected[0] ?? malformed[0])?.reason });
  }

  for (const destination of deps.destinations) summary.destinations[destination.name] = { forwarded: report.delivered[destination.name] ?? 0, failed: 0 };
  for (const failure of report.failed) {
    const counts = summary.destinations[failure.destination];
    if (counts) counts.failed += failure.records.length;
  }
  if (report.failed.length > 0) logFailures(report.failed, deps);

  // Throws when S3 refuses: nothing is acknowledged that is not delivered or stored.
  summary.storedKeys.push(...(await deps.store.storeFailed(report.failed, now)));
  const rejections: StoredRejection[] = result.rejected.map(({ reason, ...rest }) => ({ reason, rejectedAt: now.toISOString(), logGroup: payload.logGroup, logStream: payload.logStream, event: rest }));
  for (const { index, reason, json } of malformed) rejections.push({ reason, rejectedAt: now.toISOString(), logGroup: payload.logGroup, logStream: payload.logStream, malformedEvent: { index, json } });
  const rejectedKey = await deps.store.storeRejected(rejections, now);
  if (rejectedKey) summary.storedKeys.push(rejectedKey);
  return summary;
}

function logFailures(failures: readonly FailedDelivery[], deps: ForwardDeps): void {
  for (const failure of failures) {
    deps.warn('records not delivered; kept in the failure store for replay', { destination: failure.destination, reason: failure.reason, attempts: failure.attempts, count: failure.records.length });
  }
}
