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

/** An entry of `logEvents` that is not an event (`{ id, timestamp, message }`), in a payload otherwise readable. */
export interface MalformedEvent {
  /** Its position in the payload's `logEvents`. */
  index: number;
  reason: string;
  /** The entry as JSON (or what could be said of it when it cannot be written back). */
  json: string;
}

export type DecodedPayload =
  /** `malformed`, when present: entries left out of `payload.logEvents`, each to be rejected on its own. */
  | { kind: 'data'; payload: SubscriptionPayload; invalidUtf8: boolean; malformed?: MalformedEvent[] }
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
  // A readable envelope with some entries that are not events: those entries are rejected one by one, the
  // others go on (one malformed event must not cost its payload).
  let malformed: MalformedEvent[] | undefined;
  if (!hasPayloadShape(json) && hasEnvelopeShape(json)) {
    const events: unknown[] = [];
    malformed = [];
    (json.logEvents as unknown[]).forEach((event, index) => {
      const reason = eventShapeProblem(event);
      if (reason === undefined) events.push(event);
      else malformed?.push({ index, reason: `logEvents[${index}] is not a CloudWatch Logs event: ${reason}`, json: describe(event) });
    });
    if (events.length > 0) json.logEvents = events;
    else malformed = undefined;
  }
  if (!hasPayloadShape(json)) {
    const parsed = CloudWatchLogsDecodeSchema.safeParse(json);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    return invalid('wrong-shape', `the decompressed data is not a CloudWatch Logs subscription payload: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  if (json.messageType === 'CONTROL_MESSAGE') return { kind: 'control', payload: json };
  return malformed ? { kind: 'data', payload: json, invalidUtf8, malformed } : { kind: 'data', payload: json, invalidUtf8 };
}

/** The payload's own fields are right and `logEvents` is a non-empty array (of whatever). */
function hasEnvelopeShape(value: unknown): value is Record<string, unknown> & { logEvents: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const payload = value as Record<string, unknown>;
  if (payload.messageType !== 'DATA_MESSAGE' || typeof payload.owner !== 'string' || typeof payload.logGroup !== 'string' || typeof payload.logStream !== 'string') return false;
  if (!Array.isArray(payload.subscriptionFilters) || !payload.subscriptionFilters.every((filter) => typeof filter === 'string')) return false;
  return Array.isArray(payload.logEvents) && payload.logEvents.length > 0;
}

function eventShapeProblem(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not an object';
  const { id, timestamp, message } = event as Record<string, unknown>;
  if (typeof id !== 'string') return 'id is not a string';
  if (typeof timestamp !== 'number') return 'timestamp is not a number';
  if (typeof message !== 'string') return 'message is not a string';
  return undefined;
}

/** JSON of a decoded value; a value too deep to write back (JSON.parse nests deeper than JSON.stringify) is described. */
function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    return `(cannot be written back: ${(error as Error).message})`;
  }
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
