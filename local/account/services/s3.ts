import { createHash } from 'node:crypto';
import {
  BucketAlreadyOwnedByYou,
  type CreateBucketCommandInput,
  type CreateBucketCommandOutput,
  type DeleteObjectCommandInput,
  type DeleteObjectCommandOutput,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  NoSuchBucket,
  NoSuchKey,
  type PutObjectCommandInput,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { Clock } from '../../../shared/time/clock.ts';
import type { CallContext, SandboxService, ServiceOutput } from '../account.ts';

interface StoredObject {
  body: Buffer;
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
  lastModified: Date;
  etag: string;
}

/**
 * Amazon S3 in the in-memory account: buckets (global names, as in S3) holding objects. GetObject's Body
 * offers the SDK's stream helpers (transformToByteArray / transformToString), as the real client does.
 */
export class SandboxS3 implements SandboxService {
  readonly clientName = 'S3Client';
  readonly label = 's3';
  readonly #buckets = new Map<string, Map<string, StoredObject>>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  readonly commands = {
    CreateBucketCommand: (input: CreateBucketCommandInput, ctx: CallContext): ServiceOutput<CreateBucketCommandOutput> => {
      const name = input.Bucket ?? '';
      if (this.#buckets.has(name)) throw new BucketAlreadyOwnedByYou({ message: 'Your previous request to create the named bucket succeeded and you already own it.', $metadata: {} });
      this.#buckets.set(name, new Map());
      ctx.changed({ service: 's3', action: 'CreateBucket', resource: name });
      return { Location: `/${name}` };
    },
    PutObjectCommand: async (input: PutObjectCommandInput, ctx: CallContext): Promise<ServiceOutput<PutObjectCommandOutput>> => {
      const bucket = this.#bucket(input.Bucket);
      const body = await toBuffer(input.Body);
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      bucket.set(input.Key ?? '', { body, contentType: input.ContentType, contentEncoding: input.ContentEncoding, lastModified: this.#clock.now(), etag });
      ctx.changed({ service: 's3', action: 'PutObject', resource: `${input.Bucket}/${input.Key}`, detail: `${body.length} bytes` });
      return { ETag: etag };
    },
    GetObjectCommand: (input: GetObjectCommandInput): ServiceOutput<GetObjectCommandOutput> => {
      const object = this.#bucket(input.Bucket).get(input.Key ?? '');
      if (!object) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
      const bytes = new Uint8Array(object.body);
      const body = {
        transformToByteArray: async () => bytes,
        transformToString: async (encoding?: string) => Buffer.from(bytes).toString((encoding ?? 'utf8') as BufferEncoding),
        transformToWebStream: () => new Blob([bytes]).stream(),
      };
      return { Body: body as unknown as GetObjectCommandOutput['Body'], ContentLength: bytes.length, ContentType: object.contentType, ContentEncoding: object.contentEncoding, ETag: object.etag, LastModified: object.lastModified };
    },
    ListObjectsV2Command: (input: ListObjectsV2CommandInput): ServiceOutput<ListObjectsV2CommandOutput> => {
      const bucket = this.#bucket(input.Bucket);
      // S3 returns at most 1,000 keys per page, in UTF-8 binary order.
      const max = Math.min(input.MaxKeys ?? 1000, 1000);
      const keys = [...bucket.keys()].filter((key) => key.startsWith(input.Prefix ?? '')).sort();
      const start = input.ContinuationToken ? keys.findIndex((key) => key > Buffer.from(input.ContinuationToken ?? '', 'base64url').toString()) : 0;
      const page = start < 0 ? [] : keys.slice(start, start + max);
      const truncated = start >= 0 && start + max < keys.length;
      const last = page.at(-1);
      return {
        Name: input.Bucket,
        Prefix: input.Prefix,
        KeyCount: page.length,
        MaxKeys: max,
        IsTruncated: truncated,
        Contents: page.map((key) => ({ Key: key, Size: bucket.get(key)?.body.length ?? 0, LastModified: bucket.get(key)?.lastModified, ETag: bucket.get(key)?.etag })),
        ...(truncated && last ? { NextContinuationToken: Buffer.from(last).toString('base64url') } : {}),
      };
    },
    DeleteObjectCommand: (input: DeleteObjectCommandInput, ctx: CallContext): ServiceOutput<DeleteObjectCommandOutput> => {
      // Deleting a key that does not exist succeeds, as in S3.
      const deleted = this.#bucket(input.Bucket).delete(input.Key ?? '');
      if (deleted) ctx.changed({ service: 's3', action: 'DeleteObject', resource: `${input.Bucket}/${input.Key}` });
      return {};
    },
  };

  createBucket(name: string): void {
    if (!this.#buckets.has(name)) this.#buckets.set(name, new Map());
  }

  /** The objects of a bucket, key → bytes (tests and scenarios read them directly). */
  objects(bucket: string, prefix = ''): Map<string, Buffer> {
    const found = new Map<string, Buffer>();
    for (const [key, object] of this.#buckets.get(bucket) ?? []) if (key.startsWith(prefix)) found.set(key, object.body);
    return found;
  }

  #bucket(name: string | undefined): Map<string, StoredObject> {
    const bucket = this.#buckets.get(name ?? '');
    if (!bucket) throw new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} });
    return bucket;
  }
}

async function toBuffer(body: PutObjectCommandInput['Body']): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
