import { isUtf8 } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CloudWatchLogsDecodeSchema } from '@aws-lambda-powertools/parser/schemas/cloudwatch';
import * as z from 'zod';

/**
 * What a CloudWatch Logs subscription hands to Lambda: `{ "awslogs": { "data": "<base64 of gzip of JSON>" } }`,
 * the JSON being
 * `{ "messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "/aws/eks/prod/cluster",
 *    "logStream": "kube-apiserver-audit-0a1b…", "subscriptionFilters": ["eksops"],
 *    "logEvents": [{ "id": "3195310660696698337880902507980421114328961542429822156…", "timestamp": 1432826855000, "message": "…" }] }`.
 * CloudWatch sends one `CONTROL_MESSAGE` when a subscription is created, to check the destination is reachable.
 *
 * The envelope is checked at the edge with this schema; the data is decoded here rather than by Powertools'
 * CloudWatchLogsSchema transform, which gunzips without a size cap (a gzip bomb) and replaces invalid UTF-8
 * silently. The decoded JSON is then validated with Powertools' own CloudWatchLogsDecodeSchema.
 */
export const SubscriptionEventSchema = z.object({ awslogs: z.object({ data: z.string() }) });
export type SubscriptionEvent = z.infer<typeof SubscriptionEventSchema>;
export type SubscriptionPayload = z.infer<typeof CloudWatchLogsDecodeSchema>;

/**
 * Lambda's asynchronous invocation payload is at most 1 MB, so the compressed data is under that; CloudWatch
 * batches up to 10,000 events of up to 1 MB each but the decompressed batch stays far smaller in practice.
 * 64 MB is well above any real batch and keeps a 256-1024 MB function safe from a decompression bomb.
 */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export type DecodeFailure = 'not-base64' | 'not-gzip' | 'too-large' | 'not-json' | 'wrong-shape';

export type DecodedPayload =
  | { kind: 'data'; payload: SubscriptionPayload; invalidUtf8: boolean }
  | { kind: 'control'; payload: SubscriptionPayload }
  | { kind: 'invalid'; failure: DecodeFailure; reason: string };


export function decodeSubscriptionData(data: string, maxBytes = MAX_DECOMPRESSED_BYTES): DecodedPayload {
  // Buffer.from(…, 'base64') skips what is not base64 without complaint: a round trip tells. (Re-encoding a
  // megabyte is a millisecond; a regular expression over it is several.)
  const compressed = Buffer.from(data, 'base64');
  if (data.length === 0 || data.length % 4 !== 0 || compressed.toString('base64') !== data) return invalid('not-base64', 'awslogs.data is not base64');
  let bytes: Buffer;
  try {
    bytes = gunzipSync(compressed, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return invalid('too-large', `awslogs.data decompresses to more than ${maxBytes} bytes (the cap against decompression bombs)`);
    return invalid('not-gzip', `awslogs.data is not gzip: ${(error as Error).message}`);
  }
  // Bytes that are not UTF-8 become U+FFFD: the events are kept and the reason reported.
  const invalidUtf8 = !isUtf8(bytes);
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid('not-json', `the decompressed data is not JSON: ${(error as Error).message}`);
  }
  // The shape is checked by a loop (a zod parse of 10,000 events costs more than the rest of the decoding);
  // when it fails, Powertools' schema says what is wrong.
  if (!hasPayloadShape(json)) {
    const parsed = CloudWatchLogsDecodeSchema.safeParse(json);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    return invalid('wrong-shape', `the decompressed data is not a CloudWatch Logs subscription payload: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  if (json.messageType === 'CONTROL_MESSAGE') return { kind: 'control', payload: json };
  return { kind: 'data', payload: json, invalidUtf8 };
}

/** The same rules as CloudWatchLogsDecodeSchema: strings, a number timestamp, at least one event. */
function hasPayloadShape(value: unknown): value is SubscriptionPayload {
  if (typeof value !== 'object' || value === null) return false;
  const payload = value as Record<string, unknown>;
  if (typeof payload.messageType !== 'string' || typeof payload.owner !== 'string' || typeof payload.logGroup !== 'string' || typeof payload.logStream !== 'string') return false;
  if (!Array.isArray(payload.subscriptionFilters) || !payload.subscriptionFilters.every((filter) => typeof filter === 'string')) return false;
  const events = payload.logEvents;
  if (!Array.isArray(events) || events.length === 0) return false;
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null) return false;
    const { id, timestamp, message } = event as Record<string, unknown>;
    if (typeof id !== 'string' || typeof timestamp !== 'number' || typeof message !== 'string') return false;
  }
  return true;
}

function invalid(failure: DecodeFailure, reason: string): DecodedPayload {
  return { kind: 'invalid', failure, reason };
}

/** The inverse, for the sandbox, the tests and the bench: what CloudWatch Logs sends. */
export function encodeSubscriptionData(payload: SubscriptionPayload | Record<string, unknown>): string {
  return gzipSync(JSON.stringify(payload)).toString('base64');
}
