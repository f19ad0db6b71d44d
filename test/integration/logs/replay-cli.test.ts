import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { logsCommands } from '../../../cli/commands/logs.ts';
import { HttpSink } from '../../../local/sinks/http-sink.ts';
import { defaultFetch } from '../../../shared/http/fetch.ts';
import { BUCKET, logsSandbox, storedLines } from './harness.ts';

let sink: HttpSink;
beforeEach(async () => {
  sink = new HttpSink({ clock: { now: () => new Date(), sleep: async () => undefined } });
  await sink.start();
});
afterEach(async () => {
  await sink.close();
});

/** A record as delivery reports it failed: its id and its JSON. */
function record(id: string) {
  return { id, json: JSON.stringify({ id, timestamp: Date.parse('2026-03-02T08:00:00Z'), cluster: 'prod', logType: 'scheduler', logStream: 'kube-scheduler-1', message: `line ${id}` }) };
}

async function replay(sandbox: ReturnType<typeof logsSandbox>, ...argv: string[]) {
  const [command] = logsCommands({ loadConfig: async () => sandbox.config, clients: () => sandbox.aws.clients, fetch: defaultFetch, clock: sandbox.aws.clock });
  const out: string[] = [];
  const err: string[] = [];
  const values: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = (argv[i] ?? '').replace(/^--/, '');
    if (name === 'dry-run') values[name] = true;
    else values[name] = argv[++i];
  }
  const code = await command?.run({ values, positionals: [] }, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('eksops logs replay', () => {
  it('resends stored records, deletes delivered objects, and keeps a destination the configuration lost', async () => {
    const sandbox = logsSandbox({ destinations: [{ name: 'central', type: 'http', url: `${sink.url}/in`, gzip: false }] });
    const now = sandbox.aws.clock.now();
    await sandbox.store.storeFailed([{ destination: 'central', reason: 'HTTP 503', attempts: 8, records: [record('1'), record('2')] }], now);
    await sandbox.store.storeFailed([{ destination: 'retired', reason: 'HTTP 503', attempts: 8, records: [record('3')] }], now);

    const dry = await replay(sandbox, '--bucket', BUCKET, '--dry-run');
    expect(dry).toMatchObject({ code: 0, out: [`${BUCKET}: 2 object(s); would resend 3 record(s); 0 object(s) cleared; 0 record(s) still undelivered`] });
    expect(sink.requests).toHaveLength(0);

    const run = await replay(sandbox, '--bucket', BUCKET, '--config', 'prod.config.yml');
    expect(run).toEqual({ code: 1, out: [`${BUCKET}: 2 object(s); resent 2 record(s); 1 object(s) cleared; 1 record(s) still undelivered`], err: ['  records for destination "retired" stay: it is not in prod.config.yml'] });
    expect((sink.records() as { id: string }[]).map((shipped) => shipped.id)).toEqual(['1', '2']);
    expect(storedLines<{ destination: string; record: { id: string } }>(sandbox.aws, 'failed/').map((line) => [line.destination, line.record.id])).toEqual([['retired', '3']]);
  });

  it('keeps records the destination still refuses, with their new reason', async () => {
    const sandbox = logsSandbox({ destinations: [{ name: 'central', type: 'http', url: `${sink.url}/in`, gzip: false }] });
    await sandbox.store.storeFailed([{ destination: 'central', reason: 'HTTP 503', attempts: 8, records: [record('1')] }], sandbox.aws.clock.now());
    sink.respondWith(() => ({ status: 400, body: 'bad record' }));
    const run = await replay(sandbox, '--bucket', BUCKET, '--destination', 'central');
    expect(run.code).toBe(1);
    expect(storedLines(sandbox.aws, 'failed/')).toEqual([expect.objectContaining({ destination: 'central', reason: 'HTTP 400: bad record', attempts: 9 })]);
  });

  it('resends a line written by hand, its record in the middle, from the parsed record', async () => {
    const sandbox = logsSandbox({ destinations: [{ name: 'central', type: 'http', url: `${sink.url}/in`, gzip: false }] });
    const stored = { destination: 'central', record: { id: '9', timestamp: 1, cluster: 'prod', logType: 'scheduler', logStream: 'kube-scheduler-1', message: 'by hand' }, reason: 'HTTP 503', attempts: 1, failedAt: '2026-03-02T08:00:00.000Z' };
    const body = gzipSync(`${JSON.stringify(stored)}\n`);
    await sandbox.aws.clients.client(S3Client).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'failed/central/2026/03/02/08/by-hand.ndjson.gz', Body: body }));
    const run = await replay(sandbox, '--bucket', BUCKET);
    expect(run.code).toBe(0);
    expect(sink.requests.map((request) => request.body)).toEqual([`${JSON.stringify(stored.record)}\n`]);
  });

  it('refuses to run without a bucket or with an unknown destination', async () => {
    const sandbox = logsSandbox({ destinations: [{ name: 'central', type: 'http', url: `${sink.url}/in` }] });
    expect(await replay(sandbox)).toMatchObject({ code: 2, err: [expect.stringMatching(/--bucket is required/)] });
    expect(await replay(sandbox, '--bucket', BUCKET, '--destination', 'nope')).toMatchObject({ code: 2, err: [expect.stringMatching(/no destination named "nope"/)] });
  });
});
