import type { ControlPlaneLogType } from './log-source.ts';

/**
 * One control-plane log event as eksops ships it: the same shape for every destination (each destination
 * only wraps it). Audit events keep the whole (redacted) audit object under `audit`, with the fields people
 * search on lifted to the top; text formats keep their message and the fields parsed out of the line.
 */
export interface LogRecord {
  /** The CloudWatch event id (a 56-digit string): stable across retries, so destinations can deduplicate. */
  id: string;
  /** When CloudWatch Logs ingested the event, epoch milliseconds. */
  timestamp: number;
  cluster: string;
  logType: ControlPlaneLogType;
  logStream: string;
  /** The time written in the line itself (ISO 8601), when it has one. */
  time?: string;
  level?: string;
  /** klog: `file.go:123`. */
  source?: string;
  message?: string;
  /** logfmt key/values other than time, level and msg. */
  fields?: Record<string, string>;
  verb?: string;
  user?: string;
  groups?: string[];
  namespace?: string;
  resource?: string;
  name?: string;
  responseCode?: number;
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
  auditID?: string;
  audit?: Record<string, unknown>;
  /** Why the line could not be parsed in its log type's format; it is shipped as text, never dropped. */
  parseError?: string;
  /** What redaction replaced, by rule name: people reading the record know it was altered. */
  redacted?: string[];
}

/**
 * The audit line that stands for an audit record's `audit` object, kept under a symbol key (JSON.stringify
 * skips symbol keys; no side table for the garbage collector to trace). Serializing the record reuses the
 * line instead of serializing the parsed object again (most of the forwarder's serialization time on audit
 * logs), and numbers beyond 2^53 keep their digits.
 *
 * Whoever changes the audit object keeps the line saying the same thing, or forgets it (`undefined`): the
 * parser sets it, redaction rewrites it where it can redact the text exactly and forgets it otherwise.
 */
const AUDIT_LINE: unique symbol = Symbol('eksops.auditLine');
type WithAuditLine = LogRecord & { [AUDIT_LINE]?: string | undefined };

export function keepAuditLine(record: LogRecord, line: string | undefined): void {
  (record as WithAuditLine)[AUDIT_LINE] = line;
}

export function auditLineOf(record: LogRecord): string | undefined {
  return (record as WithAuditLine)[AUDIT_LINE];
}

/**
 * JSON of a record: JSON.stringify, except that the `audit` object of an audit record is written as the line
 * that stands for it, when there is one (`audit` then comes last).
 */
export function serializeRecord(record: LogRecord): string {
  const line = auditLineOf(record);
  if (line === undefined) return JSON.stringify(record);
  const audit = record.audit;
  // Undefined, not deleted: JSON.stringify leaves it out, and the object keeps its shape.
  record.audit = undefined;
  const head = JSON.stringify(record);
  record.audit = audit;
  return head.length === 2 ? `{"audit":${line}}` : `${head.slice(0, -1)},"audit":${line}}`;
}
