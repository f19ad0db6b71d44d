import type { Fetch } from '../../http/fetch.ts';
import type { LogRecord } from '../record.ts';
import type { LogDestination } from './destination.ts';
import { postBatch } from './http-post.ts';
import { joinLinesToBuffer } from './ndjson-http.ts';
import { routingPredicate } from './routing.ts';

export interface SplunkHecOptions {
  name: string;
  url: string;
  index?: string | undefined;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  token: () => Promise<string>;
  fetch: Fetch;
}

/** The sourcetype per log type, in the `aws:eks:` family Splunk apps look for. */
export function splunkSourcetype(record: LogRecord): string {
  return `aws:eks:${record.logType}`;
}

/**
 * Splunk HTTP Event Collector, `/services/collector/event`: events concatenated in one body, each
 * `{"time": <epoch seconds>, "host", "source", "sourcetype", "index"?, "event": <record>}`, header
 * `Authorization: Splunk <token>`. HEC's max_content_length is 1 MB on older Splunk versions: batches stay under it.
 */
export function splunkHecDestination(options: SplunkHecOptions): LogDestination {
  const endpoint = new URL('/services/collector/event', options.url).href;
  const index = options.index ? `,"index":${JSON.stringify(options.index)}` : '';
  return {
    name: options.name,
    type: 'splunk',
    limits: { maxRecords: 5_000, maxBytes: 1_000_000, maxRecordBytes: 1_000_000 },
    accepts: routingPredicate(options),
    serialize: (record, json) =>
      `{"time":${record.timestamp / 1000},"host":${JSON.stringify(record.cluster)},"source":${JSON.stringify(record.logStream)},"sourcetype":"${splunkSourcetype(record)}"${index},"event":${json}}`,
    async send(entries, signal) {
      const token = await options.token();
      return postBatch(options.fetch, { url: endpoint, headers: { authorization: `Splunk ${token}`, 'content-type': 'application/json' }, body: joinLinesToBuffer(entries), gzip: true }, signal);
    },
  };
}
