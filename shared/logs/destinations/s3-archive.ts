import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeError } from '../../errors.ts';
import type { LogDestination } from './destination.ts';
import { joinLinesToBuffer } from './ndjson-http.ts';
import { routingPredicate } from './routing.ts';

export interface S3ArchiveOptions {
  name: string;
  bucket: string;
  prefix: string;
  clusters?: string[] | undefined;
  logTypes?: string[] | undefined;
  s3: Pick<S3Client, 'send'>;
}

/**
 * An S3 archive: gzip NDJSON objects under `<prefix><cluster>/<logType>/yyyy/mm/dd/hh/`, the hour of the first
 * record's CloudWatch timestamp (UTC). Each batch holds one cluster and log type, so the key is exact.
 */
export function s3ArchiveDestination(options: S3ArchiveOptions): LogDestination {
  return {
    name: options.name,
    type: 's3',
    // A batch is one object; 64 MB keeps the gzip in memory small.
    limits: { maxRecords: 100_000, maxBytes: 64 * 1024 * 1024, maxRecordBytes: 64 * 1024 * 1024 },
    accepts: routingPredicate(options),
    serialize: (_record, json) => json,
    async send(entries, signal) {
      const groups = new Map<string, typeof entries[number][]>();
      for (const entry of entries) {
        const key = archivePrefix(options.prefix, entry.cluster, entry.logType, entry.timestamp);
        const group = groups.get(key) ?? [];
        group.push(entry);
        groups.set(key, group);
      }
      for (const [prefix, group] of groups) {
        const key = `${prefix}${group[0]?.id ?? 'batch'}-${randomUUID().slice(0, 8)}.ndjson.gz`;
        try {
          await options.s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: gzipSync(joinLinesToBuffer(group)), ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' }), { abortSignal: signal });
        } catch (error) {
          const described = describeError(error);
          return described.kind === 'transient' ? { kind: 'retryable', reason: `${described.name}: ${described.message}` } : { kind: 'permanent', reason: `${described.name}: ${described.message}` };
        }
      }
      return { kind: 'delivered' };
    },
  };
}

export function archivePrefix(prefix: string, cluster: string, logType: string, timestamp: number): string {
  const iso = new Date(timestamp).toISOString();
  return `${prefix}${cluster}/${logType}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/`;
}
