import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { SandboxS3 } from '../../../local/account/services/s3.ts';
import { HttpSink } from '../../../local/sinks/http-sink.ts';
import { defaultFetch } from '../../../shared/http/fetch.ts';
import { toBatches } from '../../../shared/logs/batching.ts';
import { deliver } from '../../../shared/logs/delivery.ts';
import { datadogDestinationAt } from '../../../shared/logs/destinations/datadog-intake.ts';
import type { LogDestination } from '../../../shared/logs/destinations/destination.ts';
import { firehoseDestination } from '../../../shared/logs/destinations/firehose-batch.ts';
import { lokiPushDestination } from '../../../shared/logs/destinations/loki-push.ts';
import { openSearchBulkDestination } from '../../../shared/logs/destinations/opensearch-bulk.ts';
import { s3ArchiveDestination } from '../../../shared/logs/destinations/s3-archive.ts';
import { sigv4Signer } from '../../../shared/logs/destinations/sigv4.ts';
import { splunkHecDestination } from '../../../shared/logs/destinations/splunk-hec.ts';
import type { LogRecord } from '../../../shared/logs/record.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

let sink: HttpSink;
const clock = new VirtualClock('2026-03-02T09:00:00Z');
beforeEach(async () => {
  sink = new HttpSink({ clock });
  await sink.start();
});
afterEach(async () => {
  await sink.close();
});

function record(id: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return { id, timestamp: Date.parse('2026-03-02T08:59:00Z'), cluster: 'prod', logType: 'audit', logStream: 'kube-apiserver-audit-1', verb: 'get', ...overrides };
}

const send = (records: LogRecord[], destination: LogDestination) => deliver(records.map((record) => ({ record })), [destination], { clock, remainingMs: () => 60_000, backoff: { baseMs: 1, capMs: 1, random: () => 0.5 } });

describe('destinations: what each intake receives', () => {
  it('Splunk HEC: concatenated events with time in seconds, host, sourcetype per log type, index, and the token header', async () => {
    await send([record('1'), record('2', { logType: 'authenticator', logStream: 'authenticator-1' })], splunkHecDestination({ name: 'splunk', url: sink.url, index: 'eks', token: async () => 'hec-token', fetch: defaultFetch }));
    const [request] = sink.accepted;
    expect(request?.path).toBe('/services/collector/event');
    expect(request?.headers.authorization).toBe('Splunk hec-token');
    const events = (request?.body ?? '').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((event) => [event.sourcetype, event.host, event.index, event.time])).toEqual([
      ['aws:eks:audit', 'prod', 'eks', 1772441940],
      ['aws:eks:authenticator', 'prod', 'eks', 1772441940],
    ]);
    expect(events[0]?.event).toMatchObject({ id: '1', verb: 'get' });
  });

  it('OpenSearch _bulk: the event id as _id, per-item 429 retried, per-item 400 kept with its reason', async () => {
    let call = 0;
    sink.respondWith((request) => {
      call += 1;
      const ids = request.body.split('\n').filter((line) => line.startsWith('{"index"')).map((line) => (JSON.parse(line) as { index: { _id: string } }).index._id);
      const items = ids.map((id) => ({ index: { _id: id, status: call === 1 && id === '2' ? 429 : call === 1 && id === '3' ? 400 : 201, ...(id === '3' ? { error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [verb]' } } : {}) } }));
      return { status: 200, body: JSON.stringify({ errors: items.some((item) => item.index.status >= 300), items }) };
    });
    const report = await send([record('1'), record('2'), record('3')], openSearchBulkDestination({ name: 'search', url: sink.url, index: 'eks-logs', sign: async () => ({ authorization: 'Basic abc' }), fetch: defaultFetch }));
    expect(sink.requests.map((request) => request.body.split('\n').filter((line) => line.startsWith('{"index"')).length)).toEqual([3, 1]);
    expect(sink.requests[0]?.body.split('\n')[0]).toBe('{"index":{"_index":"eks-logs","_id":"1"}}');
    expect(sink.requests[0]?.headers.authorization).toBe('Basic abc');
    expect(report.delivered.search).toBe(2);
    expect(report.failed).toEqual([{ destination: 'search', reason: '_bulk item 400 mapper_parsing_exception: failed to parse field [verb]', attempts: 1, records: [expect.objectContaining({ id: '3' })] }]);
  });

  it('OpenSearch with SigV4: the request carries an AWS4-HMAC-SHA256 signature for the es service', async () => {
    const sign = sigv4Signer({ region: 'eu-west-1', service: 'es', credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }) });
    await send([record('1')], openSearchBulkDestination({ name: 'search', url: sink.url, index: 'eks', sign, fetch: defaultFetch }));
    expect(sink.accepted[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/);
    expect(sink.accepted[0]?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('Loki: one stream per cluster and log type, lines sorted by time, tenant header', async () => {
    const late = record('late', { timestamp: 2_000 });
    const early = record('early', { timestamp: 1_000 });
    const scheduler = record('s', { logType: 'scheduler', timestamp: 1_500 });
    await send([late, scheduler, early], lokiPushDestination({ name: 'loki', url: sink.url, tenant: 'platform', fetch: defaultFetch }));
    const request = sink.accepted[0];
    expect(request?.path).toBe('/loki/api/v1/push');
    expect(request?.headers['x-scope-orgid']).toBe('platform');
    const body = JSON.parse(request?.body ?? '{}') as { streams: { stream: Record<string, string>; values: [string, string][] }[] };
    expect(body.streams.map((stream) => [stream.stream, stream.values.map(([ns, line]) => [ns, (JSON.parse(line) as { id: string }).id])])).toEqual([
      [{ cluster: 'prod', log_type: 'audit' }, [['1000000000', 'early'], ['2000000000', 'late']]],
      [{ cluster: 'prod', log_type: 'scheduler' }, [['1500000000', 's']]],
    ]);
  });

  it('Datadog: a JSON array with ddsource, hostname, tags and the API key header', async () => {
    await send([record('1')], datadogDestinationAt(`${sink.url}/api/v2/logs`, { name: 'dd', apiKey: async () => 'dd-key', fetch: defaultFetch }));
    const request = sink.accepted[0];
    expect(request?.headers['dd-api-key']).toBe('dd-key');
    const [entry] = JSON.parse(request?.body ?? '[]') as { ddsource: string; hostname: string; ddtags: string; message: string }[];
    expect(entry).toMatchObject({ ddsource: 'eks', hostname: 'prod', ddtags: 'cluster:prod,log_type:audit' });
    expect(JSON.parse(entry?.message ?? '{}')).toMatchObject({ id: '1', verb: 'get' });
  });

  it('S3: gzip NDJSON objects under cluster/type/yyyy/mm/dd/hh/', async () => {
    const aws = createSandboxAws();
    aws.account.service(SandboxS3).createBucket('archive');
    await send([record('1'), record('2', { logType: 'scheduler' })], s3ArchiveDestination({ name: 'archive', bucket: 'archive', prefix: 'eks/', s3: aws.clients.client(S3Client) }));
    const objects = aws.account.service(SandboxS3).objects('archive');
    const byPrefix = [...objects].map(([key, body]) => [key.replace(/[^/]+$/, ''), gunzipSync(body).toString('utf8').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)]);
    expect(byPrefix.sort()).toEqual([
      ['eks/prod/audit/2026/03/02/08/', ['1']],
      ['eks/prod/scheduler/2026/03/02/08/', ['2']],
    ]);
  });

  it('Firehose PutRecordBatch: NDJSON lines in base64, signed, failed records retried alone', async () => {
    const calls: string[][] = [];
    sink.respondWith((request) => {
      const body = JSON.parse(request.body) as { DeliveryStreamName: string; Records: { Data: string }[] };
      const ids = body.Records.map((item) => (JSON.parse(Buffer.from(item.Data, 'base64').toString('utf8')) as { id: string }).id);
      calls.push(ids);
      const first = calls.length === 1;
      return { status: 200, body: JSON.stringify({ FailedPutCount: first ? 1 : 0, RequestResponses: ids.map((id) => (first && id === '2' ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' } : { RecordId: `r-${id}` })) }) };
    });
    const sign = sigv4Signer({ region: 'eu-west-1', service: 'firehose', credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }) });
    const report = await send([record('1'), record('2'), record('3')], firehoseDestination({ name: 'fh', deliveryStream: 'eks-logs', endpoint: sink.url, sign, fetch: defaultFetch }));
    expect(calls).toEqual([['1', '2', '3'], ['2']]);
    expect(report).toEqual({ delivered: { fh: 3 }, failed: [] });
    const first = sink.requests[0];
    expect(first?.headers['x-amz-target']).toBe('Firehose_20150804.PutRecordBatch');
    expect(first?.headers.authorization).toMatch(/\/eu-west-1\/firehose\/aws4_request/);
    const data = (JSON.parse(first?.body ?? '{}') as { Records: { Data: string }[] }).Records[0]?.Data ?? '';
    expect(Buffer.from(data, 'base64').toString('utf8').endsWith('}\n')).toBe(true);
  });

  it('Firehose: a missing delivery stream is permanent, throttling is retried', async () => {
    sink.respondWith(() => ({ status: 400, body: '{"__type":"ResourceNotFoundException","message":"Firehose eks-logs not found"}' }));
    const sign = async () => ({});
    const report = await send([record('1')], firehoseDestination({ name: 'fh', deliveryStream: 'eks-logs', endpoint: sink.url, sign, fetch: defaultFetch }));
    expect(sink.requests).toHaveLength(1);
    expect(report.failed).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^Firehose 400 ResourceNotFoundException/) })]);
  });

  it('routes by cluster and log type: a destination gets only what it asks for', async () => {
    const { ndjsonHttpDestination } = await import('../../../shared/logs/destinations/ndjson-http.ts');
    await send([record('a'), record('b', { cluster: 'staging' }), record('c', { logType: 'scheduler' })], ndjsonHttpDestination({ name: 'h', url: sink.url, gzip: false, clusters: ['prod'], logTypes: ['audit'], fetch: defaultFetch }));
    expect((sink.records() as { id: string }[]).map((shipped) => shipped.id)).toEqual(['a']);
  });
});

describe('batching by the destination limits, after serialization', () => {
  const entry = (id: string, bytes: number) => ({ id, body: 'x'.repeat(bytes), bytes });

  it('cuts batches at the record count and the byte limit (newlines counted) and sets oversized entries apart', () => {
    const { batches, oversized } = toBatches([entry('1', 40), entry('2', 40), entry('3', 40), entry('4', 200), entry('5', 10)], { maxRecords: 2, maxBytes: 100, maxRecordBytes: 150 });
    expect(batches.map((batch) => batch.map((item) => item.id))).toEqual([['1', '2'], ['3', '5']]);
    expect(oversized.map((item) => item.id)).toEqual(['4']);
  });

  it('stores a record over the destination limit with the reason instead of dropping it', async () => {
    const report = await send([record('big', { message: 'y'.repeat(1024 * 1024 + 10) })], datadogDestinationAt(`${sink.url}/api/v2/logs`, { name: 'dd', apiKey: async () => 'k', fetch: defaultFetch }));
    expect(sink.requests).toHaveLength(0);
    expect(report.failed).toEqual([expect.objectContaining({ destination: 'dd', reason: expect.stringMatching(/larger than datadog's limit/), records: [expect.objectContaining({ id: 'big' })] })]);
  });
});
