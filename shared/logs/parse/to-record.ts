import type { ControlPlaneLogType } from '../log-source.ts';
import type { LogRecord } from '../record.ts';
import { parseAuditInto } from './audit.ts';
import { parseKlog } from './klog.ts';
import { parseLogfmt } from './logfmt.ts';

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

/** Parses one event in the format of its log type. A line that does not parse is kept as text, with the reason. */
export function toRecord(event: SourceEvent, origin: EventOrigin): LogRecord {
  const record: LogRecord = { id: event.id, timestamp: event.timestamp, cluster: origin.cluster, logType: origin.logType, logStream: origin.logStream };
  switch (origin.logType) {
    case 'audit': {
      const failure = parseAuditInto(event.message, record);
      if (failure !== undefined) {
        record.message = event.message;
        record.parseError = failure;
      }
      return record;
    }
    case 'authenticator': {
      const fields = parseLogfmt(event.message);
      if (!fields) return Object.assign(record, { message: event.message, parseError: 'authenticator line is not logfmt' });
      const { time, level, msg, ...rest } = fields;
      if (time !== undefined) record.time = time;
      if (level !== undefined) record.level = level;
      record.message = msg ?? '';
      record.fields = rest;
      return record;
    }
    case 'unknown':
      record.message = event.message;
      return record;
    default: {
      const klog = parseKlog(event.message, event.timestamp);
      if (!klog) return Object.assign(record, { message: event.message, parseError: 'line is not in klog format' });
      record.level = klog.severity;
      record.time = klog.time;
      record.source = klog.source;
      record.message = klog.message;
      return record;
    }
  }
}
