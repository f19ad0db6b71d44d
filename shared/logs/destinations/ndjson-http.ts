import type { Fetch } from '../../http/fetch.ts';
import type { Entry, LogDestination } from './destination.ts';
import { postBatch } from './http-post.ts';
import { routingPredicate } from './routing.ts';

export interface NdjsonHttpOptions {
  name: string;
  url: string;
  gzip: boolean;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  /** Resolves the Authorization header value (read from SSM / Secrets Manager at first use). */
  authorization?: () => Promise<string>;
  fetch: Fetch;
}

/** Any HTTP endpoint taking newline-delimited JSON: one record per line, gzip by default. */
export function ndjsonHttpDestination(options: NdjsonHttpOptions): LogDestination {
  return {
    name: options.name,
    type: 'http',
    // 5 MB per request is what most NDJSON intakes (Vector, Fluent Bit, Logstash http) accept by default.
    limits: { maxRecords: 10_000, maxBytes: 5 * 1024 * 1024, maxRecordBytes: 5 * 1024 * 1024 },
    accepts: routingPredicate(options),
    serialize: (_record, json) => json,
    async send(entries: readonly Entry[], signal) {
      const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
      if (options.authorization) headers.authorization = await options.authorization();
      return postBatch(options.fetch, { url: options.url, headers, body: joinLinesToBuffer(entries), gzip: options.gzip }, signal);
    },
  };
}

/** The bodies of the entries, one line each (newline included), as one buffer sized from their `bytes`. */
export function joinLinesToBuffer(entries: readonly Entry[]): Buffer {
  let size = 0;
  for (const entry of entries) size += entry.bytes + 1;
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const entry of entries) {
    offset += entry.copyTo(buffer, offset);
    buffer[offset++] = 0x0a;
  }
  return buffer;
}
