import { configLogTypeOf } from '../log-source.ts';
import type { LogRecord } from '../record.ts';

/** A destination's routing from the configuration: only these clusters / log types (all when omitted). */
export function routingPredicate(routing: { clusters?: string[] | undefined; logTypes?: string[] | undefined }): (record: LogRecord) => boolean {
  const clusters = routing.clusters ? new Set(routing.clusters) : undefined;
  const types = routing.logTypes ? new Set(routing.logTypes) : undefined;
  return (record) => (!clusters || clusters.has(record.cluster)) && (!types || types.has(configLogTypeOf(record.logType)));
}
