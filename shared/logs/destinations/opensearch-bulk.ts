import type { Fetch } from '../../http/fetch.ts';
import type { Entry, LogDestination, SendOutcome } from './destination.ts';
import { isRetryableStatus } from '../../http/status.ts';
import { classifyStatus, post } from './http-post.ts';
import { joinLinesToBuffer } from './ndjson-http.ts';
import { routingPredicate } from './routing.ts';

export interface OpenSearchOptions {
  name: string;
  url: string;
  index: string;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  /** The Authorization (and, for SigV4, x-amz-*) headers of one request, given its body. */
  sign: (request: { url: string; body: string | Uint8Array; headers: Record<string, string> }) => Promise<Record<string, string>>;
  fetch: Fetch;
}

interface BulkItem {
  status?: number;
  error?: { type?: string; reason?: string };
}

/**
 * OpenSearch / Elasticsearch `_bulk`: an `index` action per record with the CloudWatch event id as `_id`, so
 * a batch sent twice (a retry, a replay, Lambda running the invocation again) writes each document once.
 * A 200 answer can still carry per-item errors (`errors: true`): 429 and 5xx items are retried, the others
 * (a mapping conflict) go to the failure store with OpenSearch's reason.
 */
export function openSearchBulkDestination(options: OpenSearchOptions): LogDestination {
  const endpoint = new URL('/_bulk', options.url).href;
  const action = (id: string) => `{"index":{"_index":${JSON.stringify(options.index)},"_id":"${id}"}}`;
  return {
    name: options.name,
    type: 'opensearch',
    // Amazon OpenSearch Service accepts 10 MB request bodies on its smallest instance types.
    limits: { maxRecords: 5_000, maxBytes: 9 * 1024 * 1024, maxRecordBytes: 9 * 1024 * 1024 },
    accepts: routingPredicate(options),
    serialize: (record, json) => `${action(record.id)}\n${json}`,
    async send(entries: readonly Entry[], signal) {
      const body = joinLinesToBuffer(entries);
      const headers = { 'content-type': 'application/x-ndjson' };
      const signed = await options.sign({ url: endpoint, body, headers });
      const answer = await post(options.fetch, { url: endpoint, headers: { ...headers, ...signed }, body }, signal);
      if ('kind' in answer) return answer;
      const outcome = classifyStatus(answer);
      if (outcome.kind !== 'delivered') return outcome;
      return readBulkItems(answer.text, entries.length);
    },
  };
}

export function readBulkItems(text: string, count: number): SendOutcome {
  let parsed: { errors?: boolean; items?: Record<string, BulkItem>[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { kind: 'retryable', reason: 'the _bulk answer is not JSON' };
  }
  if (!parsed.errors) return { kind: 'delivered' };
  const retry: number[] = [];
  const rejected: { index: number; reason: string }[] = [];
  for (let index = 0; index < count; index++) {
    const item = Object.values(parsed.items?.[index] ?? {})[0];
    const status = item?.status ?? 500;
    if (status < 300) continue;
    if (isRetryableStatus(status)) retry.push(index);
    else rejected.push({ index, reason: `_bulk item ${status} ${item?.error?.type ?? ''}: ${item?.error?.reason ?? ''}`.trim() });
  }
  return { kind: 'partial', retry, rejected };
}
