import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { makeHandler } from '../../../functions/log-forwarder/app.ts';
import { HttpSink } from '../../../local/sinks/http-sink.ts';
import type { ForwardSummary } from '../../../shared/logs/forward-logs.ts';
import { MAX_EVENT_BYTES } from '../../../shared/logs/pipeline.ts';
import { encodeSubscriptionData } from '../../../shared/logs/subscription-payload.ts';
import { fixtureJson, fixtureLines } from '../../unit/logs/fixtures.ts';
import { contextFor, forwarderDeps, logsSandbox, storedLines, storedText, subscriptionEvent } from './harness.ts';

let sink: HttpSink;
let sandbox: ReturnType<typeof logsSandbox>;

function setUp(extra: Record<string, unknown> = {}) {
  sandbox = logsSandbox({
    destinations: [{ name: 'central', type: 'http', url: `${sink.url}/ingest`, authorization: { ssmParameter: '/eksops/logs/http' } }],
    drop: [{ logTypes: ['audit'], verbs: ['get', 'list', 'watch'], users: ['system:node:*'] }],
    ...extra,
  });
  sandbox.aws.services.ssm.seedParameter(sandbox.aws.here, '/eksops/logs/http', 'Bearer s3cr3t-token', 'SecureString');
  return makeHandler(forwarderDeps(sandbox));
}

async function forward(handler: ReturnType<typeof setUp>, event: unknown): Promise<ForwardSummary> {
  return (await handler(event, contextFor(sandbox.aws))) as ForwardSummary;
}

beforeEach(async () => {
  sink = new HttpSink({ clock: { now: () => new Date(), sleep: async () => undefined } });
  await sink.start();
});
afterEach(async () => {
  await sink.close();
});

describe('the log forwarder against a loopback destination and the sandbox failure store', () => {
  it('delivers a mixed batch as normalized records, gzip NDJSON with the Authorization header from SSM', async () => {
    const handler = setUp();
    const audit = fixtureLines('real/audit.ndjson');
    const summary = await forward(handler, subscriptionEvent('kube-apiserver-audit-6b1f', audit));
    await forward(handler, subscriptionEvent('authenticator-6b1f', fixtureLines('real/authenticator.log')));
    await forward(handler, subscriptionEvent('kube-controller-manager-6b1f', fixtureLines('real/controller-manager.log')));

    const records = sink.records() as { id: string; logType: string; cluster: string; verb?: string; level?: string; source?: string }[];
    expect(summary).toMatchObject({ outcome: 'forwarded', eventsIn: audit.length, filtered: 0, destinations: { central: { forwarded: audit.length, failed: 0 } }, storedKeys: [] });
    expect(records).toHaveLength(audit.length + fixtureLines('real/authenticator.log').length + fixtureLines('real/controller-manager.log').length);
    expect(new Set(records.map((record) => record.id)).size).toBe(records.length);
    expect(records.every((record) => record.cluster === 'prod' && /^\d{56}$/.test(record.id))).toBe(true);
    expect(records.filter((record) => record.logType === 'controllerManager').every((record) => record.level !== undefined && record.source !== undefined)).toBe(true);
    expect(sink.accepted.map((request) => [request.headers.authorization, request.headers['content-encoding'], request.path])).toEqual([
      ['Bearer s3cr3t-token', 'gzip', '/ingest'],
      ['Bearer s3cr3t-token', 'gzip', '/ingest'],
      ['Bearer s3cr3t-token', 'gzip', '/ingest'],
    ]);
  });

  it('acknowledges the control message and forwards nothing', async () => {
    const handler = setUp();
    const summary = await forward(handler, { awslogs: { data: encodeSubscriptionData(fixtureJson('cwl/control-message.vector-test.decoded.json')) } });
    expect(summary.outcome).toBe('control-message');
    expect(sink.requests).toHaveLength(0);
    expect(storedLines(sandbox.aws, '')).toEqual([]);
  });

  it('retries 429 (honouring Retry-After) and 500 with backoff, and delivers each record once', async () => {
    const handler = setUp();
    sink.failNext(1, { status: 429, retryAfterSeconds: 7 });
    sink.failNext(1, { status: 503 });
    const started = sandbox.aws.clock.now().getTime();
    const summary = await forward(handler, subscriptionEvent('kube-scheduler-1', fixtureLines('real/scheduler.log')));
    expect(sink.requests.map((request) => request.status)).toEqual([429, 503, 200]);
    expect(sink.records()).toHaveLength(fixtureLines('real/scheduler.log').length);
    expect(summary.destinations.central).toEqual({ forwarded: fixtureLines('real/scheduler.log').length, failed: 0 });
    expect(sandbox.aws.clock.now().getTime() - started).toBeGreaterThanOrEqual(7_000);
  });

  it('keeps what the destination refuses permanently in the failure store, with the reason, without retrying', async () => {
    const handler = setUp();
    sink.failNext(1, { status: 400 });
    await forward(handler, subscriptionEvent('kube-scheduler-1', ['I0302 08:59:58.000001       1 s.go:1] one']));
    expect(sink.requests).toHaveLength(1);
    expect(storedLines(sandbox.aws, 'failed/central/')).toEqual([
      expect.objectContaining({ destination: 'central', reason: expect.stringMatching(/^HTTP 400/), attempts: 1, record: expect.objectContaining({ message: 'one', logType: 'scheduler' }) }),
    ]);
  });

  it('stores audit records whole (the parsed audit, redacted where it must be) and replay sends what the first attempt sent', async () => {
    const handler = setUp({ drop: [] });
    const plain = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"patch","user":{"username":"admin"},"objectRef":{"resource":"pods","namespace":"web","name":"api-1"},"responseStatus":{"code":200},"resourceVersion":12345678901234567890}';
    const secret = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"create","user":{"username":"admin"},"objectRef":{"resource":"secrets","namespace":"web"},"requestObject":{"kind":"Secret","data":{"password":"c3VwZXItc2VjcmV0"}}}';
    sink.failNext(1, { status: 400 });
    await forward(handler, subscriptionEvent('kube-apiserver-audit-1', [plain, secret]));
    const firstAttempt = sink.requests[0]?.body ?? '';

    const stored = storedLines<{ record: { verb: string; redacted?: string[]; audit: Record<string, unknown> } }>(sandbox.aws, 'failed/central/');
    expect(stored.map((line) => line.record.audit)).toEqual([
      expect.objectContaining({ verb: 'patch', objectRef: { resource: 'pods', namespace: 'web', name: 'api-1' } }),
      expect.objectContaining({ verb: 'create', requestObject: { kind: 'Secret', data: { password: '[REDACTED]' } } }),
    ]);
    expect(stored[1]?.record.redacted).toEqual(['secret-data']);
    expect(JSON.stringify(storedLines(sandbox.aws, 'failed/'))).not.toContain('c3VwZXItc2VjcmV0');

    expect(firstAttempt).toContain('"resourceVersion":12345678901234567890}');

    // A replay the destination refuses again rewrites the object: the records stay as they were written.
    const { replayFailures } = await import('../../../shared/logs/replay.ts');
    const { destinationsFromConfig } = await import('../../../shared/logs/destinations/from-config.ts');
    const replay = () => replayFailures(sandbox.store, destinationsFromConfig(sandbox.config.logs.destinations, { clients: sandbox.aws.clients, fetch }), { clock: sandbox.aws.clock, remainingMs: () => 60_000 });
    sink.failNext(1, { status: 400 });
    await replay();
    expect(storedLines<{ attempts: number }>(sandbox.aws, 'failed/central/').map((line) => line.attempts)).toEqual([2, 2]);
    expect(storedText(sandbox.aws, 'failed/central/')[0]).toContain('"resourceVersion":12345678901234567890}');

    // Then replay sends what the first attempt sent, byte for byte.
    await replay();
    expect(sink.requests[2]?.body).toBe(firstAttempt);
    expect(storedLines(sandbox.aws, 'failed/')).toEqual([]);
  });

  it('stores every event when the destination is down, succeeds, and replay later delivers and clears them', async () => {
    const handler = setUp();
    await sink.goDown();
    const lines = fixtureLines('real/apiserver.log');
    const summary = await forward(handler, subscriptionEvent('kube-apiserver-1', lines));
    expect(summary.destinations.central).toEqual({ forwarded: 0, failed: lines.length });
    const stored = storedLines<{ destination: string; reason: string; attempts: number; record: { message: string } }>(sandbox.aws, 'failed/');
    expect(stored).toHaveLength(lines.length);
    expect(stored[0]).toMatchObject({ destination: 'central', reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(stored[0]?.attempts).toBeGreaterThan(1);

    await sink.comeUp();
    const { replayFailures } = await import('../../../shared/logs/replay.ts');
    const { destinationsFromConfig } = await import('../../../shared/logs/destinations/from-config.ts');
    const replay = await replayFailures(sandbox.store, destinationsFromConfig(sandbox.config.logs.destinations, { clients: sandbox.aws.clients, fetch }), { clock: sandbox.aws.clock, remainingMs: () => 60_000 });
    expect(replay).toEqual({ objects: 1, delivered: lines.length, remaining: 0, cleared: 1, unknownDestinations: [] });
    expect(sink.records()).toHaveLength(lines.length);
    expect(storedLines(sandbox.aws, 'failed/')).toEqual([]);
  });

  it('fails the invocation when the failure store refuses too, so that Lambda retries and nothing is acknowledged', async () => {
    const handler = setUp();
    await sink.goDown();
    sandbox.aws.account.injectFault({ clientName: 'S3Client', commandName: 'PutObjectCommand', times: 10, error: () => new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: {} }) });
    await expect(forward(handler, subscriptionEvent('kube-apiserver-1', ['I0302 08:59:58.000001       1 a.go:1] x']))).rejects.toThrow(/Access Denied/);
  });

  it('stops retrying in time to store what is left before the invocation times out', async () => {
    const handler = setUp();
    sink.failNext(100, { status: 503 });
    const summary = (await handler(subscriptionEvent('kube-apiserver-1', ['I0302 08:59:58.000001       1 a.go:1] x']), contextFor(sandbox.aws, 10))) as ForwardSummary;
    expect(summary.destinations.central).toEqual({ forwarded: 0, failed: 1 });
    expect(storedLines(sandbox.aws, 'failed/')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/HTTP 503.*(no time left|gave up)/) })]);
    expect(sandbox.aws.clock.now().getTime() - Date.parse('2026-03-02T09:00:00Z')).toBeLessThan(10_000);
  });
});

describe('bad input: a clear reason, nothing lost, the valid remainder delivered', () => {
  it.each([
    ['non-base64 data', 'this is not base64!', /not base64/],
    ['non-gzip data', Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64'), /not gzip/],
    ['a gzip bomb', gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20)).toString('base64'), /decompresses to more than/],
    ['truncated JSON', gzipSync('{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1"').toString('base64'), /not JSON/],
  ])('keeps a payload of %s under rejected/ with the reason and succeeds', async (_what, data, reason) => {
    const handler = setUp();
    const summary = await forward(handler, { awslogs: { data } });
    expect(summary).toMatchObject({ outcome: 'undecodable', reason: expect.stringMatching(reason) });
    expect(storedLines(sandbox.aws, 'rejected/')).toEqual([expect.objectContaining({ reason: expect.stringMatching(reason), data })]);
    expect(sink.requests).toHaveLength(0);
  });

  it('rejects an event that is not a subscription envelope with the offending field', async () => {
    const handler = setUp();
    await expect(handler({ records: [] }, contextFor(sandbox.aws))).rejects.toThrow(/awslogs/);
  });

  it('keeps the events of a log group that is not an EKS one under rejected/', async () => {
    const handler = setUp();
    const summary = await forward(handler, subscriptionEvent('2026/03/02/[$LATEST]abc', ['START RequestId: 1'], '/aws/lambda/some-function'));
    expect(summary.rejected).toBe(1);
    expect(storedLines(sandbox.aws, 'rejected/')).toEqual([expect.objectContaining({ logGroup: '/aws/lambda/some-function', reason: expect.stringMatching(/not an EKS control-plane log group/), event: expect.objectContaining({ message: 'START RequestId: 1' }) })]);
    expect(sink.requests).toHaveLength(0);
  });

  it('delivers a 1 MB event, rejects a larger one with the reason, and delivers the rest', async () => {
    const handler = setUp();
    const big = `I0302 08:59:58.000001       1 a.go:1] ${'b'.repeat(MAX_EVENT_BYTES - 40)}`;
    const summary = await forward(handler, subscriptionEvent('kube-apiserver-1', [big, 'x'.repeat(MAX_EVENT_BYTES + 10), 'I0302 08:59:58.000001       1 a.go:1] small']));
    expect(summary).toMatchObject({ rejected: 1, destinations: { central: { forwarded: 2, failed: 0 } } });
    expect((sink.records() as { message: string }[]).map((record) => record.message.length)).toEqual([MAX_EVENT_BYTES - 40, 5]);
    expect(storedLines(sandbox.aws, 'rejected/')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/over CloudWatch's 1 MB event limit/) })]);
  });

  it('ships an audit line that is not JSON as text with the reason', async () => {
    const handler = setUp();
    await forward(handler, subscriptionEvent('kube-apiserver-audit-1', ['{"kind":"Event","verb":"get",', fixtureLines('real/audit.ndjson')[0] ?? '']));
    const [broken, fine] = sink.records() as { message?: string; parseError?: string; verb?: string }[];
    expect(broken).toMatchObject({ message: '{"kind":"Event","verb":"get",', parseError: expect.stringMatching(/^audit line is not JSON/) });
    expect(fine?.verb).toEqual(expect.any(String));
  });

  it('delivers the events of a payload with invalid UTF-8, the bad bytes replaced', async () => {
    const handler = setUp();
    const json = Buffer.from(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: '/aws/eks/prod/cluster', logStream: 'kube-scheduler-1', subscriptionFilters: ['f'], logEvents: [{ id: '1', timestamp: 1, message: 'I0302 08:59:58.000001       1 a.go:1] caf\u00e9 BAD' }] }));
    const at = json.indexOf('BAD');
    const bad = Buffer.concat([json.subarray(0, at), Buffer.from([0xc3, 0x28]), json.subarray(at + 3)]);
    const summary = await forward(handler, { awslogs: { data: gzipSync(bad).toString('base64') } });
    expect(summary.destinations.central?.forwarded).toBe(1);
    expect((sink.records()[0] as { message: string }).message).toBe('café \uFFFD(');
  });
});
