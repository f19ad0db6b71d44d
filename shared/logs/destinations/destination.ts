import type { LogRecord } from '../record.ts';

/**
 * A log destination, as the delivery loop sees it: the limits its intake API sets, how one record is
 * serialized for it, and one attempt at sending a batch. Retries, backoff and the failure store are the
 * delivery loop's business, not the destination's.
 */
export interface BatchLimits {
  /** Records per request. */
  maxRecords: number;
  /** Bytes per request, after serialization and before compression. */
  maxBytes: number;
  /** Bytes of one serialized record; a larger record cannot be sent and goes to the failure store. */
  maxRecordBytes: number;
}

/** A record with its serialization for one destination, measured once. */
export interface Entry {
  record: LogRecord;
  /** JSON.stringify(record), shared by every destination of the invocation. */
  json: string;
  /** What this destination sends for the record (a line, a bulk action pair, a HEC event). */
  body: string;
  bytes: number;
}

export type SendOutcome =
  | { kind: 'delivered' }
  /** Some entries were refused: those at `retry` may succeed later, those at `rejected` never will. */
  | { kind: 'partial'; retry: number[]; rejected: { index: number; reason: string }[] }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string };

export interface LogDestination {
  readonly name: string;
  readonly type: string;
  readonly limits: BatchLimits;
  /** Which records this destination receives (routing by cluster and log type). */
  accepts(record: LogRecord): boolean;
  serialize(record: LogRecord, json: string): string;
  send(entries: readonly Entry[], signal: AbortSignal): Promise<SendOutcome>;
}
