import type { Clock } from '../time/clock.ts';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from '../http/backoff.ts';
import { mapBounded } from '../concurrency/map-bounded.ts';
import { toBatches } from './batching.ts';
import type { Entry, LogDestination } from './destinations/destination.ts';
import { Outbox } from './outbox.ts';
import type { LogRecord } from './record.ts';

/** A record a destination did not take: its event id, and its JSON as it was to be sent. */
export interface FailedRecord {
  id: string;
  json: string;
}

/** A record to deliver, and its JSON when it is already written (replay resends what the failure store kept). */
export interface Outgoing {
  record: LogRecord;
  json?: string | undefined;
}

/** Records a destination could not take, with why and how many times they were tried. */
export interface FailedDelivery {
  destination: string;
  reason: string;
  attempts: number;
  records: FailedRecord[];
}

export interface DeliveryReport {
  /** Records each destination accepted. */
  delivered: Record<string, number>;
  failed: FailedDelivery[];
}

export interface DeliveryOptions {
  clock: Clock;
  /** Milliseconds left in the invocation (Lambda's getRemainingTimeInMillis). */
  remainingMs: () => number;
  /**
   * Time kept back for what follows delivery (writing the failure store): retries stop when less is left.
   * Default 5 s, enough for a few S3 PutObject calls.
   */
  reserveMs?: number;
  /** Requests in flight at once, across destinations: bounds memory and the load put on a recovering sink. */
  concurrency?: number;
  /** Longest wait for one request. */
  requestTimeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
}

interface Job {
  destination: LogDestination;
  entries: Entry[];
  attempt: number;
}

/**
 * Delivers records to every destination that accepts them: serializes each record once (or takes the JSON
 * given with it), batches by each destination's limits, sends with bounded concurrency, retries what can be retried with jittered exponential backoff
 * while the invocation has time, and returns what could not be delivered for the failure store.
 * Never throws for a destination's failure: a failure is data here.
 */
export async function deliver(outgoing: readonly Outgoing[], destinations: readonly LogDestination[], options: DeliveryOptions): Promise<DeliveryReport> {
  const outbox = new Outbox(destinations);
  try {
    for (const { record, json } of outgoing) outbox.add(record, json);
    return await deliverOutbox(outbox, options);
  } finally {
    outbox.release();
  }
}

/** The same, for records already in an outbox (the forwarder fills it as the pipeline makes them). */
export async function deliverOutbox(outbox: Outbox, options: DeliveryOptions): Promise<DeliveryReport> {
  const reserveMs = options.reserveMs ?? 5_000;
  const concurrency = options.concurrency ?? 4;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const report: DeliveryReport = { delivered: {}, failed: [] };
  const queue: Job[] = [];
  for (const destination of outbox.destinations) {
    report.delivered[destination.name] = 0;
    const { batches, oversized } = toBatches(outbox.entriesOf(destination), destination.limits);
    if (oversized.length > 0) {
      report.failed.push({ destination: destination.name, reason: `record larger than ${destination.type}'s limit of ${destination.limits.maxRecordBytes} bytes`, attempts: 0, records: oversized.map(failedRecord) });
    }
    for (const batch of batches) queue.push({ destination, entries: batch, attempt: 0 });
  }

  const fail = (job: Job, reason: string, entries: readonly Entry[] = job.entries) => {
    report.failed.push({ destination: job.destination.name, reason, attempts: job.attempt, records: entries.map(failedRecord) });
  };

  const run = async (job: Job): Promise<void> => {
    for (;;) {
      job.attempt += 1;
      const left = options.remainingMs() - reserveMs;
      if (left <= 0) return fail(job, `no time left in the invocation after ${job.attempt - 1} attempt(s)`);
      const outcome = await job.destination.send(job.entries, AbortSignal.timeout(Math.min(requestTimeoutMs, left)));
      if (outcome.kind === 'delivered') {
        report.delivered[job.destination.name] = (report.delivered[job.destination.name] ?? 0) + job.entries.length;
        return;
      }
      if (outcome.kind === 'permanent') return fail(job, outcome.reason);
      let retryReason: string;
      let retryAfterMs: number | undefined;
      if (outcome.kind === 'partial') {
        const delivered = job.entries.length - outcome.retry.length - outcome.rejected.length;
        report.delivered[job.destination.name] = (report.delivered[job.destination.name] ?? 0) + delivered;
        for (const { index, reason } of outcome.rejected) {
          const entry = job.entries[index];
          if (entry) fail(job, reason, [entry]);
        }
        job.entries = outcome.retry.flatMap((index) => (job.entries[index] ? [job.entries[index]] : []));
        if (job.entries.length === 0) return;
        retryReason = 'some records were refused with a retryable status';
      } else {
        retryReason = outcome.reason;
        retryAfterMs = outcome.retryAfterMs;
      }
      if (job.attempt >= maxAttempts) return fail(job, `${retryReason} (gave up after ${job.attempt} attempts)`);
      const delay = backoffDelay(job.attempt, backoff, retryAfterMs);
      // A wait that would eat the time kept for the failure store is not worth it: store now, replay later.
      if (delay + 1_000 > options.remainingMs() - reserveMs) return fail(job, `${retryReason} (no time left to retry after ${job.attempt} attempt(s))`);
      await options.clock.sleep(delay);
    }
  };

  await mapBounded(queue, concurrency, run);
  return report;
}

/** Read from the outbox's bytes while it is held: what is reported outlives the outbox. */
function failedRecord(entry: Entry): FailedRecord {
  return { id: entry.id, json: entry.json };
}
