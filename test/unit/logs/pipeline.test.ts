import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { createPipeline, MAX_EVENT_BYTES } from '../../../shared/logs/pipeline.ts';
import { REDACTED } from '../../../shared/logs/redaction.ts';
import { decodeSubscriptionData, encodeSubscriptionData, type SubscriptionPayload } from '../../../shared/logs/subscription-payload.ts';
import { eventId, fixtureJson, fixtureLines } from './fixtures.ts';

const AT = Date.parse('2024-03-02T11:04:06Z');
const defaults = { drop: [], redaction: { enabled: true, patterns: [] } };

function payload(logStream: string, messages: string[], logGroup = '/aws/eks/prod/cluster'): SubscriptionPayload {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup,
    logStream,
    subscriptionFilters: ['eksops'],
    logEvents: messages.map((message) => ({ id: eventId(), timestamp: AT, message })) as SubscriptionPayload['logEvents'],
  };
}

describe('decoding the subscription data', () => {
  it('decodes a real subscription event', () => {
    const event = fixtureJson<{ awslogs: { data: string } }>('cwl/powertools-typescript.parser-cloudwatch-base.json');
    const decoded = decodeSubscriptionData(event.awslogs.data);
    expect(decoded).toEqual({ kind: 'data', payload: fixtureJson('cwl/powertools-typescript.parser-cloudwatch-base.decoded.json'), invalidUtf8: false });
  });

  it('recognises the control message CloudWatch sends when a subscription is created', () => {
    expect(decodeSubscriptionData(encodeSubscriptionData(fixtureJson('cwl/control-message.vector-test.decoded.json'))).kind).toBe('control');
  });

  it.each([
    ['non-base64 data', 'not base64!!', 'not-base64'],
    ['non-gzip data', Buffer.from('plain text, not gzip').toString('base64'), 'not-gzip'],
    ['truncated JSON', gzipSync('{"messageType":"DATA_MESSAGE","logEvents":[').toString('base64'), 'not-json'],
    ['JSON of another shape', gzipSync('{"hello":"world"}').toString('base64'), 'wrong-shape'],
  ])('refuses %s with its reason', (_what, data, failure) => {
    const decoded = decodeSubscriptionData(data);
    expect(decoded).toMatchObject({ kind: 'invalid', failure });
    expect(decoded.kind === 'invalid' && decoded.reason.length).toBeGreaterThan(10);
  });

  it('stops a gzip bomb at the decompressed-size cap', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)).toString('base64');
    expect(bomb.length).toBeLessThan(20_000);
    expect(decodeSubscriptionData(bomb, 1024 * 1024)).toMatchObject({ kind: 'invalid', failure: 'too-large', reason: expect.stringMatching(/more than 1048576 bytes/) });
  });

  it('keeps the events of a payload with invalid UTF-8 and says so', () => {
    const json = Buffer.from(JSON.stringify(payload('kube-scheduler-1', ['I0302 11:04:05.000001       1 s.go:1] ok', 'I0302 11:04:05.000002       1 s.go:2] BAD'])));
    const bad = Buffer.concat([json.subarray(0, json.indexOf('BAD')), Buffer.from([0xff, 0xfe]), json.subarray(json.indexOf('BAD') + 3)]);
    const decoded = decodeSubscriptionData(gzipSync(bad).toString('base64'));
    expect(decoded.kind).toBe('data');
    if (decoded.kind !== 'data') return;
    expect(decoded.invalidUtf8).toBe(true);
    expect(decoded.payload.logEvents.map((event) => event.message)).toEqual(['I0302 11:04:05.000001       1 s.go:1] ok', 'I0302 11:04:05.000002       1 s.go:2] \uFFFD\uFFFD']);
  });
});

describe('the pipeline: parse → filter → redact', () => {
  it('drops get/list/watch of system:node:* and keeps everything else', () => {
    const pipeline = createPipeline({ ...defaults, drop: [{ logTypes: ['audit'], verbs: ['get', 'list', 'watch'], users: ['system:node:*'] }] });
    const event = (verb: string, username: string) => JSON.stringify({ kind: 'Event', verb, user: { username } });
    const result = pipeline(payload('kube-apiserver-audit-1', [event('get', 'system:node:ip-10-0-0-1'), event('watch', 'system:node:x'), event('patch', 'system:node:x'), event('get', 'admin')]));
    expect(result.records.map((record) => [record.verb, record.user])).toEqual([
      ['patch', 'system:node:x'],
      ['get', 'admin'],
    ]);
    expect(result).toMatchObject({ eventsIn: 4, filtered: 2 });
  });

  it('drops by namespace, resource and message pattern; a rule listing a field the record lacks does not match', () => {
    const pipeline = createPipeline({ ...defaults, drop: [{ namespaces: ['kube-system'], resources: ['leases'] }, { messagePattern: 'healthz' }, { verbs: ['get'] }] });
    const audit = (namespace: string, resource: string) => JSON.stringify({ verb: 'update', objectRef: { namespace, resource } });
    expect(pipeline(payload('kube-apiserver-audit-1', [audit('kube-system', 'leases'), audit('default', 'leases')])).records).toHaveLength(1);
    expect(pipeline(payload('kube-apiserver-1', ['I0302 11:04:05.000001       1 h.go:1] GET /healthz', 'I0302 11:04:05.000001       1 h.go:1] GET /api'])).records.map((r) => r.message)).toEqual(['GET /api']);
  });

  it('redacts the data of Secrets in request and response objects, access key ids and last-applied configuration', () => {
    const lines = fixtureLines('eks-logs/kube-apiserver-audit.log');
    const result = createPipeline(defaults)(payload('kube-apiserver-audit-1', lines));
    const [withKey, secretCreate] = result.records;
    expect((withKey?.audit?.user as { extra: { accessKeyId: string[] } }).extra.accessKeyId).toEqual([REDACTED]);
    expect(withKey?.redacted).toEqual(['access-key-id']);
    const serialized = JSON.stringify(secretCreate);
    expect(serialized).not.toContain('c3VwZXItc2VjcmV0');
    expect((secretCreate?.audit?.requestObject as { data: object }).data).toEqual({ password: REDACTED });
    expect((secretCreate?.audit?.responseObject as { data: object }).data).toEqual({ password: REDACTED });
    expect(secretCreate?.redacted).toEqual(['secret-data']);
    expect(result.redacted).toBe(2);
  });

  it('redacts bearer and session tokens, and configured patterns case-insensitively', () => {
    const tokenReview = JSON.stringify({ verb: 'create', requestURI: '/x?X-Amz-Security-Token=FQoGZXIvYXdzE&y=1', requestObject: { kind: 'TokenReview', spec: { token: 'k8s-aws-v1.aHR0cHM6Ly9zdHM' } }, annotations: { note: 'PASSWORD=hunter2' } });
    const pipeline = createPipeline({ drop: [], redaction: { enabled: true, patterns: ['password=\\S+'] } });
    const [record] = pipeline(payload('kube-apiserver-audit-1', [tokenReview])).records;
    expect(record?.audit).toMatchObject({ requestURI: '/x?X-Amz-Security-Token=[REDACTED]&y=1', requestObject: { spec: { token: REDACTED } }, annotations: { note: REDACTED } });
    expect(record?.redacted).toEqual(['bearer-token', 'pattern', 'session-token']);
    const [auth] = pipeline(payload('authenticator-1', ['time="2021-08-08T20:04:44Z" level=info msg="token k8s-aws-v1.abcDEF_12 used" password=x'])).records;
    expect(auth?.message).toBe('token [REDACTED] used');
    expect(auth?.fields?.password).toBe('x');
  });

  it('leaves records untouched when redaction is off', () => {
    const [line] = fixtureLines('eks-logs/kube-apiserver-audit.log');
    const [record] = createPipeline({ drop: [], redaction: { enabled: false, patterns: [] } })(payload('kube-apiserver-audit-1', [line ?? ''])).records;
    expect(JSON.stringify(record)).toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('rejects every event of a log group that is not an EKS one, with the reason', () => {
    const result = createPipeline(defaults)(payload('stream', ['a', 'b'], '/aws/lambda/other'));
    expect(result.records).toEqual([]);
    expect(result.rejected.map((event) => [event.message, event.reason])).toEqual([
      ['a', expect.stringMatching(/not an EKS control-plane log group/)],
      ['b', expect.stringMatching(/not an EKS control-plane log group/)],
    ]);
  });

  it('handles a 1 MB event and rejects a larger one with the reason, keeping the rest', () => {
    const big = `I0302 11:04:05.000001       1 h.go:1] ${'x'.repeat(MAX_EVENT_BYTES - 40)}`;
    const tooBig = 'y'.repeat(MAX_EVENT_BYTES + 1);
    const result = createPipeline(defaults)(payload('kube-apiserver-1', [big, tooBig, 'I0302 11:04:05.000001       1 h.go:1] small']));
    expect(result.records.map((record) => record.message?.length)).toEqual([MAX_EVENT_BYTES - 40, 5]);
    expect(result.rejected).toEqual([expect.objectContaining({ message: tooBig, reason: expect.stringMatching(/over CloudWatch's 1 MB event limit/) })]);
  });

  it('counts lines that did not parse and ships them as text', () => {
    const result = createPipeline(defaults)(payload('kube-apiserver-audit-1', ['not json at all', '{"verb":"get"}']));
    expect(result.unparsed).toBe(1);
    expect(result.records[0]).toMatchObject({ message: 'not json at all', parseError: expect.stringMatching(/not JSON/) });
  });
});
