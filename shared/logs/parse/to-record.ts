import type { ControlPlaneLogType } from '../log-source.ts';
import { keepAuditLine, type LogRecord } from '../record.ts';
import { parseAuditInto } from './audit.ts';
import { parseKlog } from './klog.ts';
import { type LiftedLogfmt, parseLogfmtLifted } from './logfmt.ts';

export interface SourceEvent {
  id: string;
  timestamp: number;
  message: string;
}

export interface EventOrigin {
  cluster: string;
  logType: ControlPlaneLogType;
  logStream: string;
}

// Reused for every authenticator line (parsing is synchronous): no object per line for three values.
const lifted: LiftedLogfmt = { time: undefined, level: undefined, msg: undefined };

/** Parses one event in the format of its log type. A line that does not parse is kept as text, with the reason. */
export function toRecord(event: SourceEvent, origin: EventOrigin): LogRecord {
  const record: LogRecord = { id: event.id, timestamp: event.timestamp, cluster: origin.cluster, logType: origin.logType, logStream: origin.logStream };
  switch (origin.logType) {
    case 'audit': {
      // One rule for lone surrogates: U+FFFD, in the shipped line and in the fields lifted from it alike
      // (the line is written as UTF-8, where a lone surrogate can only become U+FFFD).
      const line = isWellFormed(event.message) ? event.message : toWellFormed(event.message);
      const failure = parseAuditInto(line, record);
      if (failure !== undefined) {
        record.message = line;
        record.parseError = failure;
      } else keepAuditLine(record, line);
      return record;
    }
    case 'authenticator': {
      const fields: Record<string, string> = {};
      if (!parseLogfmtLifted(event.message, fields, lifted)) return Object.assign(record, { message: event.message, parseError: 'authenticator line is not logfmt' });
      if (lifted.time !== undefined) record.time = lifted.time;
      if (lifted.level !== undefined) record.level = lifted.level;
      record.message = lifted.msg ?? '';
      record.fields = fields;
      return record;
    }
    case 'unknown':
      record.message = event.message;
      return record;
    default: {
      const klog = parseKlog(event.message, event.timestamp);
      if (!klog) return Object.assign(record, { message: event.message, parseError: 'line is not in klog format' });
      record.level = klog.severity;
      if (klog.time !== undefined) record.time = klog.time;
      record.source = klog.source;
      record.message = klog.message;
      return record;
    }
  }
}

// ES2024 string methods (Node 20+), outside the ES2023 lib this project compiles against.
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };
function isWellFormed(text: string): boolean {
  return (text as unknown as WellFormed).isWellFormed();
}
function toWellFormed(text: string): string {
  return (text as unknown as WellFormed).toWellFormed();
}
