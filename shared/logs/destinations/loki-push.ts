import type { Fetch } from '../../http/fetch.ts';
import type { Entry, LogDestination } from './destination.ts';
import { postBatch } from './http-post.ts';
import { routingPredicate } from './routing.ts';

export interface LokiOptions {
  name: string;
  url: string;
  tenant?: string | undefined;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  authorization?: () => Promise<string>;
  fetch: Fetch;
}

/**
 * Grafana Loki push API, `POST /loki/api/v1/push`:
 * `{"streams":[{"stream":{"cluster":"prod","log_type":"audit"},"values":[["<unix ns>","<line>"]]}]}`.
 * Labels stay few (cluster, log_type) because every label value makes a stream; lines are sorted by time
 * within a stream, since Loki refuses out-of-order entries on older configurations. Loki's default
 * grpc_server_max_recv_msg_size is 4 MB: batches stay under it.
 */
export function lokiPushDestination(options: LokiOptions): LogDestination {
  const endpoint = new URL('/loki/api/v1/push', options.url).href;
  return {
    name: options.name,
    type: 'loki',
    limits: { maxRecords: 10_000, maxBytes: 3 * 1024 * 1024, maxRecordBytes: 3 * 1024 * 1024 },
    accepts: routingPredicate(options),
    serialize: (_record, json) => JSON.stringify(json),
    async send(entries, signal) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.tenant) headers['x-scope-orgid'] = options.tenant;
      if (options.authorization) headers.authorization = await options.authorization();
      return postBatch(options.fetch, { url: endpoint, headers, body: lokiBody(entries), gzip: true }, signal);
    },
  };
}

export function lokiBody(entries: readonly Entry[]): string {
  const streams = new Map<string, { labels: string; entries: Entry[] }>();
  for (const entry of entries) {
    const key = `${entry.cluster}\u0000${entry.logType}`;
    let stream = streams.get(key);
    if (!stream) {
      stream = { labels: JSON.stringify({ cluster: entry.cluster, log_type: entry.logType }), entries: [] };
      streams.set(key, stream);
    }
    stream.entries.push(entry);
  }
  const parts: string[] = [];
  for (const stream of streams.values()) {
    // Stable sort: events of the same millisecond keep CloudWatch's order.
    stream.entries.sort((a, b) => a.timestamp - b.timestamp);
    const values = stream.entries.map((entry) => `["${entry.timestamp}000000",${entry.body}]`).join(',');
    parts.push(`{"stream":${stream.labels},"values":[${values}]}`);
  }
  return `{"streams":[${parts.join(',')}]}`;
}
