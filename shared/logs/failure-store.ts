import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FailedDelivery } from './delivery.ts';
import type { RejectedEvent } from './pipeline.ts';
import type { LogRecord } from './record.ts';

/**
 * The failure store: an S3 bucket of gzip NDJSON objects holding what the forwarder could not deliver, so
 * nothing is lost and `eksops logs replay` can resend it.
 * - `failed/<destination>/yyyy/mm/dd/hh/<time>-<uuid>.ndjson.gz`: records a destination did not take, one
 *   line each: `{"destination","reason","attempts","failedAt","record"}`. Replay resends them.
 * - `rejected/yyyy/mm/dd/hh/…`: events or payloads that cannot become records (not an EKS log group, over
 *   1 MB, undecodable), with the reason, for a person to look at. Replay leaves them alone.
 */
export interface StoredFailure {
  destination: string;
  reason: string;
  attempts: number;
  failedAt: string;
  record: LogRecord;
}

/** A stored failure as read back, with its record's JSON exactly as stored (numbers beyond 2^53 keep their digits). */
export interface ReadFailure extends StoredFailure {
  readonly recordJson: string;
}

export interface StoredRejection {
  reason: string;
  rejectedAt: string;
  logGroup?: string;
  logStream?: string;
  event?: Omit<RejectedEvent, 'reason'>;
  /** An entry of a payload's `logEvents` that is not an event (its position and its JSON); the rest of the payload went on. */
  malformedEvent?: { index: number; json: string };
  /** The raw `awslogs.data` of a payload that could not be decoded. */
  data?: string;
}

export type FailureStoreClient = Pick<S3Client, 'send'>;

export class FailureStore {
  readonly #s3: FailureStoreClient;
  readonly #bucket: string;

  constructor(s3: FailureStoreClient, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  get bucket(): string {
    return this.#bucket;
  }

  /** One object per destination. Throws when S3 refuses: the caller must then fail the invocation. */
  async storeFailed(failures: readonly FailedDelivery[], now: Date): Promise<string[]> {
    const byDestination = new Map<string, string[]>();
    for (const failure of failures) {
      const lines = byDestination.get(failure.destination) ?? [];
      // The record's JSON as it was to be sent (an audit record keeps its line).
      const meta = { destination: failure.destination, reason: failure.reason, attempts: failure.attempts, failedAt: now.toISOString() };
      for (const record of failure.records) lines.push(failureLine(meta, record.json));
      byDestination.set(failure.destination, lines);
    }
    const keys: string[] = [];
    for (const [destination, lines] of byDestination) {
      if (lines.length === 0) continue;
      const key = `failed/${destination}/${hourPath(now)}${now.toISOString().replace(/[:.]/g, '')}-${randomUUID()}.ndjson.gz`;
      await this.#put(key, lines);
      keys.push(key);
    }
    return keys;
  }

  async storeRejected(rejections: readonly StoredRejection[], now: Date): Promise<string | undefined> {
    if (rejections.length === 0) return undefined;
    const key = `rejected/${hourPath(now)}${now.toISOString().replace(/[:.]/g, '')}-${randomUUID()}.ndjson.gz`;
    await this.#put(key, rejections.map((rejection) => JSON.stringify(rejection)));
    return key;
  }

  /** Keys of the stored failures, oldest first (keys sort by time), optionally of one destination. */
  async listFailed(destination?: string): Promise<string[]> {
    const prefix = destination ? `failed/${destination}/` : 'failed/';
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async read(key: string): Promise<ReadFailure[]> {
    const object = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    const bytes = await object.Body?.transformToByteArray();
    if (!bytes) return [];
    return gunzipSync(bytes)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(readFailureLine);
  }

  /** Replaces an object with what is still undelivered (same key), or deletes it when nothing is left. */
  async rewrite(key: string, remaining: readonly ReadFailure[]): Promise<void> {
    if (remaining.length === 0) {
      await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
      return;
    }
    await this.#put(key, remaining.map((failure) => failureLine(failure, failure.recordJson)));
  }

  async #put(key: string, lines: readonly string[]): Promise<void> {
    await this.#s3.send(
      new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: gzipSync(`${lines.join('\n')}\n`), ContentType: 'application/x-ndjson', ContentEncoding: 'gzip', ServerSideEncryption: 'AES256' }),
    );
  }
}

const RECORD_KEY = ',"record":';

/** A StoredFailure line: the record's JSON is written as given, last. */
function failureLine(meta: Omit<StoredFailure, 'record'>, recordJson: string): string {
  const { destination, reason, attempts, failedAt } = meta;
  return `${JSON.stringify({ destination, reason, attempts, failedAt }).slice(0, -1)}${RECORD_KEY}${recordJson}}`;
}

/**
 * A line back: parsed, and the record's text cut from it. In a line failureLine wrote, the first `,"record":`
 * is the key (quotes inside the strings before it are escaped) and the record runs to the last brace; a line
 * written otherwise (by hand) has its record serialized again from the parsed object.
 */
function readFailureLine(line: string): ReadFailure {
  const failure = JSON.parse(line) as StoredFailure;
  const at = line.indexOf(RECORD_KEY);
  const text = at < 0 ? undefined : line.slice(at + RECORD_KEY.length, -1);
  return { ...failure, recordJson: text !== undefined && isJsonOf(text, failure.record) ? text : JSON.stringify(failure.record) };
}

function isJsonOf(text: string, record: LogRecord): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(text), record);
  } catch {
    return false;
  }
}

function hourPath(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/`;
}
