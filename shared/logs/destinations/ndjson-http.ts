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

export function joinLines(entries: readonly Entry[]): string {
  let body = '';
  for (const entry of entries) body += `${entry.body}\n`;
  return body;
}

/**
 * The same lines, UTF-8 encoded straight into one buffer sized from the entries' measured `bytes`: no joined
 * string to flatten and encode again (fetch would encode a string body into a copy of its own). An entry
 * whose `bytes` is not its encoded length falls back to the string join, so nothing is ever cut short.
 */
export function joinLinesToBuffer(entries: readonly Entry[]): Buffer {
  let size = 0;
  for (const entry of entries) size += entry.bytes + 1;
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const entry of entries) {
    if (offset + entry.bytes + 1 > size) return Buffer.from(joinLines(entries));
    const written = buffer.write(entry.body, offset);
    if (written !== entry.bytes) return Buffer.from(joinLines(entries));
    offset += written;
    buffer[offset++] = 0x0a;
  }
  return buffer;
}
