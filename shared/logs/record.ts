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
