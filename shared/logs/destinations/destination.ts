import type { ControlPlaneLogType } from '../log-source.ts';
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

/**
 * A record as a destination's batch holds it: what one destination sends for it (a line, a bulk action pair,
 * a HEC event) as UTF-8, the record's JSON for the failure store, and the few fields a batch is grouped by.
 * Not the record itself: a record lives only until it is serialized.
 */
export interface Entry {
  /** The CloudWatch event id. */
  readonly id: string;
  /** CloudWatch's ingestion time, epoch milliseconds. */
  readonly timestamp: number;
  readonly cluster: string;
  readonly logType: ControlPlaneLogType;
  /** The record's JSON (serializeRecord), as the failure store keeps it. */
  readonly json: string;
  /** The body's size in bytes, UTF-8. */
  readonly bytes: number;
  /** The body as text. */
  readonly body: string;
  /** Copies the body's bytes into `target` at `offset`; returns how many were copied. */
  copyTo(target: Buffer, offset: number): number;
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
  /** What is sent for the record, given the record's JSON (serialized once for every destination). */
  serialize(record: LogRecord, json: string): string;
  send(entries: readonly Entry[], signal: AbortSignal): Promise<SendOutcome>;
}
