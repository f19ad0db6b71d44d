import { compileDropRules, type DropRule } from './drop-rules.ts';
import { clusterOfLogGroup, logTypeOfStream } from './log-source.ts';
import { toRecord } from './parse/to-record.ts';
import type { LogRecord } from './record.ts';
import { createRedactor, type RedactionSettings } from './redaction.ts';
import type { SubscriptionPayload } from './subscription-payload.ts';

/** CloudWatch Logs accepts events of up to 1 MB (1,048,576 bytes, UTF-8); anything larger is not an EKS event. */
export const MAX_EVENT_BYTES = 1_048_576;

export interface PipelineSettings {
  drop: readonly DropRule[];
  redaction: RedactionSettings;
}

/** An event that cannot be shipped as a record, with its reason: it goes to the failure store, never away. */
export interface RejectedEvent {
  id: string;
  timestamp: number;
  message: string;
  reason: string;
}

export interface PipelineResult {
  /** The records, unless the pipeline was given somewhere else to put them (`emit`). */
  records: LogRecord[];
  rejected: RejectedEvent[];
  /** Events in the payload. */
  eventsIn: number;
  /** Events dropped by a drop rule of the configuration. */
  filtered: number;
  /** Records redaction changed. */
  redacted: number;
  /** Records shipped as text because their line did not parse in its log type's format. */
  unparsed: number;
}

/** `emit`, when given, receives each record as soon as it is made, instead of `records`. */
export type Pipeline = (payload: SubscriptionPayload, emit?: (record: LogRecord) => void) => PipelineResult;

/** Parse → filter → redact, built once per cold start from the configuration. Pure: no I/O. */
export function createPipeline(settings: PipelineSettings): Pipeline {
  const shouldDrop = compileDropRules(settings.drop);
  const redact = createRedactor(settings.redaction);
  return (payload, emit) => {
    const result: PipelineResult = { records: [], rejected: [], eventsIn: payload.logEvents.length, filtered: 0, redacted: 0, unparsed: 0 };
    const cluster = clusterOfLogGroup(payload.logGroup);
    if (cluster === undefined) {
      const reason = `log group ${payload.logGroup} is not an EKS control-plane log group (/aws/eks/<cluster>/cluster)`;
      result.rejected = payload.logEvents.map((event) => ({ ...event, reason }));
      return result;
    }
    const origin = { cluster, logType: logTypeOfStream(payload.logStream), logStream: payload.logStream };
    for (const event of payload.logEvents) {
      // Length in UTF-16 units bounds the UTF-8 size from below; measure exactly only when it might be over.
      if (event.message.length * 3 > MAX_EVENT_BYTES && Buffer.byteLength(event.message) > MAX_EVENT_BYTES) {
        result.rejected.push({ ...event, reason: `event is ${Buffer.byteLength(event.message)} bytes, over CloudWatch's 1 MB event limit` });
        continue;
      }
      // One guard per event (not per nested value): whatever one event does (a stack overflow on a hostile
      // nesting depth, anything else), the others of its payload go on, and it goes to the failure store.
      try {
        const record = toRecord(event, origin);
        if (shouldDrop(record, event.message)) {
          result.filtered++;
          continue;
        }
        redact(record, event.message);
        if (emit) emit(record);
        else result.records.push(record);
        if (record.parseError) result.unparsed++;
        if (record.redacted) result.redacted++;
      } catch (error) {
        result.rejected.push({ ...event, reason: `event could not be processed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` });
      }
    }
    return result;
  };
}
