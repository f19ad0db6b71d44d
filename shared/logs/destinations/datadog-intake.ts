import type { Fetch } from '../../http/fetch.ts';
import type { LogDestination } from './destination.ts';
import { postBatch } from './http-post.ts';
import { routingPredicate } from './routing.ts';

export interface DatadogOptions {
  name: string;
  site: string;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  apiKey: () => Promise<string>;
  fetch: Fetch;
}

/**
 * Datadog logs intake v2 (`https://http-intake.logs.<site>/api/v2/logs`, header DD-API-KEY): a JSON array of
 * at most 1,000 entries and 5 MB uncompressed, each log at most 1 MB (larger ones are truncated by Datadog,
 * so eksops sends them to the failure store instead).
 */
export function datadogDestination(options: DatadogOptions): LogDestination {
  const url = `https://http-intake.logs.${options.site}/api/v2/logs`;
  return datadogDestinationAt(url, options);
}

/** The same, at an explicit URL (the sandbox and the tests point it at a loopback sink). */
export function datadogDestinationAt(url: string, options: Omit<DatadogOptions, 'site'>): LogDestination {
  return {
    name: options.name,
    type: 'datadog',
    limits: { maxRecords: 1_000, maxBytes: 5 * 1024 * 1024 - 2_000, maxRecordBytes: 1024 * 1024 },
    accepts: routingPredicate(options),
    serialize: (record, json) =>
      `{"ddsource":"eks","service":"eks-control-plane","hostname":${JSON.stringify(record.cluster)},"ddtags":${JSON.stringify(`cluster:${record.cluster},log_type:${record.logType}`)},"timestamp":${record.timestamp},"message":${JSON.stringify(json)}}`,
    async send(entries, signal) {
      const apiKey = await options.apiKey();
      const body = `[${entries.map((entry) => entry.body).join(',')}]`;
      return postBatch(options.fetch, { url, headers: { 'dd-api-key': apiKey, 'content-type': 'application/json' }, body, gzip: true }, signal);
    },
  };
}
