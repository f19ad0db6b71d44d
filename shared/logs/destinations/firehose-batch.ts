import type { Fetch } from '../../http/fetch.ts';
import type { Entry, LogDestination, SendOutcome } from './destination.ts';
import { isRetryableStatus } from '../../http/status.ts';
import { classifyStatus, post } from './http-post.ts';
import { routingPredicate } from './routing.ts';

export interface FirehoseOptions {
  name: string;
  deliveryStream: string;
  /** `https://firehose.<region>.amazonaws.com` (tests point it at a loopback server). */
  endpoint: string;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  sign: (request: { url: string; body: string; headers: Record<string, string> }) => Promise<Record<string, string>>;
  fetch: Fetch;
}

interface PutRecordBatchAnswer {
  FailedPutCount?: number;
  RequestResponses?: { RecordId?: string; ErrorCode?: string; ErrorMessage?: string }[];
  __type?: string;
  message?: string;
}

/**
 * Amazon Data Firehose PutRecordBatch, over its JSON API (`X-Amz-Target: Firehose_20150804.PutRecordBatch`)
 * signed with the function's role: at most 500 records, 1,000 KiB each before base64, 4 MiB per request (the
 * limits cannot be raised). Each record is one NDJSON line, newline included, so that Firehose's S3 objects
 * stay line-delimited. A 200 answer can report failed records (FailedPutCount): they are retried alone, as
 * AWS recommends; ServiceUnavailableException on the whole request is retryable.
 */
export function firehoseDestination(options: FirehoseOptions): LogDestination {
  const url = new URL('/', options.endpoint).href;
  return {
    name: options.name,
    type: 'firehose',
    // Base64 makes 3 bytes 4: 3 MiB of records stay under the 4 MiB request with the JSON around them.
    limits: { maxRecords: 500, maxBytes: 3 * 1024 * 1024, maxRecordBytes: 1000 * 1024 - 1 },
    accepts: routingPredicate(options),
    serialize: (_record, json) => json,
    async send(entries: readonly Entry[], signal) {
      const records = entries.map((entry) => `{"Data":"${Buffer.from(`${entry.body}\n`).toString('base64')}"}`).join(',');
      const body = `{"DeliveryStreamName":${JSON.stringify(options.deliveryStream)},"Records":[${records}]}`;
      const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Firehose_20150804.PutRecordBatch' };
      const signed = await options.sign({ url, body, headers });
      const answer = await post(options.fetch, { url, headers: { ...headers, ...signed }, body }, signal);
      if ('kind' in answer) return answer;
      if (answer.status >= 400) return classifyFirehoseError(answer.status, answer.text);
      const outcome = classifyStatus(answer);
      if (outcome.kind !== 'delivered') return outcome;
      return readRecordResponses(answer.text, entries.length);
    },
  };
}

function classifyFirehoseError(status: number, text: string): SendOutcome {
  let type = '';
  try {
    type = ((JSON.parse(text) as PutRecordBatchAnswer).__type ?? '').split('#').at(-1) ?? '';
  } catch {
    // Not JSON (a proxy's page): the status decides.
  }
  const reason = `Firehose ${status} ${type}: ${text.slice(0, 200)}`;
  if (type === 'ServiceUnavailableException' || type === 'ThrottlingException' || isRetryableStatus(status)) return { kind: 'retryable', reason };
  return { kind: 'permanent', reason };
}

export function readRecordResponses(text: string, count: number): SendOutcome {
  let answer: PutRecordBatchAnswer;
  try {
    answer = JSON.parse(text) as PutRecordBatchAnswer;
  } catch {
    return { kind: 'retryable', reason: 'the PutRecordBatch answer is not JSON' };
  }
  if (!answer.FailedPutCount) return { kind: 'delivered' };
  const retry: number[] = [];
  for (let index = 0; index < count; index++) if (answer.RequestResponses?.[index]?.ErrorCode) retry.push(index);
  // Per-record errors are ServiceUnavailableException or InternalFailure: both worth another try.
  return { kind: 'partial', retry, rejected: [] };
}
