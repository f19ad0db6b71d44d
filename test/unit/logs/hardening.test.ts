// Hostile input to the control-plane log forwarder: each case is an attack that the forwarder once lost
// events to, or shipped differently in two places.
import { describe, expect, it } from '@jest/globals';
import type { LogDestination } from '../../../shared/logs/destinations/destination.ts';
import { Outbox } from '../../../shared/logs/outbox.ts';
import { parseLogfmt } from '../../../shared/logs/parse/logfmt.ts';
import { toRecord } from '../../../shared/logs/parse/to-record.ts';
import { createPipeline } from '../../../shared/logs/pipeline.ts';
import { type LogRecord, serializeRecord } from '../../../shared/logs/record.ts';
import { createRedactor, REDACTED, type RedactionSettings } from '../../../shared/logs/redaction.ts';
import { decodeSubscriptionData, encodeSubscriptionData, type SubscriptionPayload } from '../../../shared/logs/subscription-payload.ts';
import { eventId, fixtureLines } from './fixtures.ts';
import { deepInSecret, deepWithPattern, DEPTH } from './hostile.ts';

const audit = { cluster: 'prod', logType: 'audit', logStream: 'kube-apiserver-audit-0a1b' } as const;
const authenticator = { cluster: 'prod', logType: 'authenticator', logStream: 'authenticator-0a1b' } as const;
const DEFAULTS: RedactionSettings = { enabled: true, patterns: [] };

function redacted(line: string, origin: typeof audit | typeof authenticator = audit, settings: RedactionSettings = DEFAULTS): LogRecord {
  const record = toRecord({ id: '1', timestamp: 1_628_453_084_000, message: line }, origin);
  createRedactor(settings)(record, line);
  return record;
}

function payloadOf(messages: readonly string[]): SubscriptionPayload {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: '/aws/eks/prod/cluster',
    logStream: 'kube-apiserver-audit-0a1b',
    subscriptionFilters: ['eksops'],
    logEvents: messages.map((message) => ({ id: eventId(), timestamp: 1_628_453_084_000, message })) as SubscriptionPayload['logEvents'],
  };
}

describe('a deeply nested audit line', () => {
  it('is redacted by a configured pattern without recursion (no stack overflow), down to its deepest string', () => {
    const record = redacted(deepWithPattern, audit, { enabled: true, patterns: ['hunter2-secret'] });
    let node: unknown = record.audit?.requestObject;
    for (let level = 0; level < DEPTH; level++) node = (node as { a: unknown }).a;
    expect(node).toBe(`token=${REDACTED}`);
    expect(record.redacted).toEqual(['pattern']);
  });

  it.each([
    ['a configured pattern', deepWithPattern, { enabled: true, patterns: ['hunter2-secret'] }],
    ['a kind: Secret with the default redaction', deepInSecret, DEFAULTS],
  ])('costs only itself in a payload of 50 good events (%s): the 50 are emitted, it is rejected with its reason', (_what, deep, redaction) => {
    const good = fixtureLines('real/audit.ndjson');
    const messages = Array.from({ length: 50 }, (_, index) => good[index % good.length] as string);
    messages.splice(25, 0, deep);
    const payload = payloadOf(messages);
    const emitted: LogRecord[] = [];
    // The outbox serializes as records are emitted: serialization failures are the pipeline's to catch too.
    const result = createPipeline({ drop: [], redaction })(payload, (record) => emitted.push(JSON.parse(serializeRecord(record)) as LogRecord));
    expect(emitted).toHaveLength(50);
    expect(result.eventsIn).toBe(51);
    expect(result.rejected).toEqual([expect.objectContaining({ id: payload.logEvents[25]?.id, message: deep, reason: expect.stringMatching(/^event could not be processed: RangeError: Maximum call stack size exceeded/) })]);
  });
});

describe('a malformed event in a readable payload', () => {
  it('is set apart with its position and reason; the payload and its other events are kept', () => {
    const payload = payloadOf(['{"kind":"Event","verb":"get"}', '{"kind":"Event","verb":"list"}']) as unknown as { logEvents: unknown[] };
    payload.logEvents.splice(1, 0, { id: eventId(), timestamp: 'yesterday', message: 'x' });
    const decoded = decodeSubscriptionData(encodeSubscriptionData(payload as Record<string, unknown>));
    expect(decoded).toMatchObject({ kind: 'data', malformed: [{ index: 1, reason: expect.stringMatching(/logEvents\[1\].*timestamp is not a number/), json: expect.stringContaining('"yesterday"') }] });
    expect(decoded.kind === 'data' && decoded.payload.logEvents.map((event) => event.message)).toEqual(['{"kind":"Event","verb":"get"}', '{"kind":"Event","verb":"list"}']);
  });
});

describe('logfmt keys that are Object.prototype names', () => {
  it('keeps __proto__=x as a plain own field, and serializes it', () => {
    const fields = parseLogfmt('time="2024-11-30T12:06:40Z" level=info msg="STS response" __proto__=x client="127.0.0.1:1"') as Record<string, string>;
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.entries(fields)).toContainEqual(['__proto__', 'x']);
    const record = toRecord({ id: '1', timestamp: 0, message: 'time="2024-11-30T12:06:40Z" level=info msg="STS response" __proto__=x client="127.0.0.1:1"' }, authenticator);
    expect(serializeRecord(record)).toContain('"fields":{"__proto__":"x","client":"127.0.0.1:1"}');
  });
});

describe('a lone surrogate in an audit line', () => {
  it('is U+FFFD in the shipped line and in the lifted fields alike', () => {
    const line = `{"kind":"Event","verb":"get","user":{"username":"admin\ud800"},"objectRef":{"resource":"pods","name":"web\udc00"}}`;
    const record = redacted(line);
    // What a destination receives: the record's JSON as UTF-8 bytes.
    const shipped = JSON.parse(Buffer.from(serializeRecord(record), 'utf8').toString('utf8')) as LogRecord & { audit: { user: { username: string }; objectRef: { name: string } } };
    expect(shipped.audit.user.username).toBe('admin\ufffd');
    expect(shipped.user).toBe('admin\ufffd');
    expect(shipped.audit.objectRef.name).toBe('web\ufffd');
    expect(shipped.name).toBe('web\ufffd');
  });
});

describe('the access key id, one rule for authenticator lines and audit events', () => {
  // A real aws-iam-authenticator line (aws-eks-best-practices PR 624, in /work/shared/samples/real/public-eks-logs).
  const line = 'time="2024-11-30T12:06:40Z" level=info msg="STS response" accesskeyid=ASIAABCDEFGGH accountid=123456789012 arn="arn:aws:sts::123456789012:assumed-role/AWSWesleyClusterManagerLambda-Add-AddonManagerRole-JOPQTE96H0BA/EKSClusterInsightsAuth" client="127.0.0.1:55380" method=POST path=/authenticate session=EKSClusterInsightsAuth stsendpoint=sts.us-west-2.amazonaws.com userid=AROACSJHFKKHJAHSJX';

  it('redacts accesskeyid= in an authenticator line, as user.extra.accessKeyId is in an audit event', () => {
    const record = redacted(line, authenticator);
    expect(record.fields?.accesskeyid).toBe(REDACTED);
    expect(record.fields?.accountid).toBe('123456789012');
    expect(record.redacted).toEqual(['access-key-id']);
    expect(serializeRecord(record)).not.toContain('ASIAABCDEFGGH');

    const event = redacted('{"kind":"Event","verb":"get","user":{"username":"admin","extra":{"accessKeyId":["ASIAABCDEFGGH"]}}}');
    expect(event.redacted).toEqual(record.redacted);
    expect(serializeRecord(event)).not.toContain('ASIAABCDEFGGH');
  });
});

describe('data is redacted in Secrets only', () => {
  const list = (kind: string, items: string) => `{"kind":"Event","level":"RequestResponse","verb":"list","user":{"username":"admin"},"responseObject":{"kind":"${kind}","apiVersion":"v1","items":[${items}]}}`;

  it('keeps the data of the ConfigMaps of a ConfigMapList', () => {
    const record = redacted(list('ConfigMapList', '{"metadata":{"name":"settings"},"data":{"log-level":"debug"}},{"metadata":{"name":"more"},"data":{"a":"b"}}'));
    expect(record.redacted).toBeUndefined();
    const shipped = JSON.parse(serializeRecord(record)) as { audit: { responseObject: { items: { data: Record<string, string> }[] } } };
    expect(shipped.audit.responseObject.items.map((item) => item.data)).toEqual([{ 'log-level': 'debug' }, { a: 'b' }]);
  });

  it('redacts the data of the items of a SecretList, which leave out their kind', () => {
    const record = redacted(list('SecretList', '{"metadata":{"name":"db"},"data":{"password":"aHVudGVyMg=="}},{"metadata":{"name":"tls"},"stringData":{"key":"k"}}'));
    expect(record.redacted).toEqual(['secret-data']);
    const shipped = JSON.parse(serializeRecord(record)) as { audit: { responseObject: { items: Record<string, Record<string, string>>[] } } };
    expect(shipped.audit.responseObject.items.map((item) => item.data ?? item.stringData)).toEqual([{ password: REDACTED }, { key: REDACTED }]);
    expect(serializeRecord(record)).not.toContain('aHVudGVyMg==');
  });

  it('still redacts an item that says it is a Secret, in a list of any kind', () => {
    const record = redacted(list('List', '{"kind":"Secret","metadata":{"name":"db"},"data":{"password":"aHVudGVyMg=="}}'));
    expect(record.redacted).toEqual(['secret-data']);
    expect(serializeRecord(record)).not.toContain('aHVudGVyMg==');
  });
});

describe('the outbox, given a record too deep to serialize', () => {
  it('throws before any destination took it (all or nothing), so the pipeline can reject it', () => {
    const destination = (name: string): LogDestination => ({
      name,
      type: 'test',
      limits: { maxRecords: 100, maxBytes: 1_000_000 } as unknown as LogDestination['limits'],
      accepts: () => true,
      serialize: (_record, json) => json,
      send: async () => ({ kind: 'delivered' }) as unknown as Awaited<ReturnType<LogDestination['send']>>,
    });
    const [first, second] = [destination('first'), destination('second')];
    const outbox = new Outbox([first, second]);
    const record = (id: string): LogRecord => ({ id, timestamp: 0, cluster: 'prod', logType: 'unknown', logStream: 's', message: id });
    outbox.add(record('good-1'));
    // Redaction forgot the line (the object changed): the record is serialized from its object.
    const deep = toRecord({ id: 'bad', timestamp: 0, message: deepInSecret }, audit);
    createRedactor(DEFAULTS)(deep, deepInSecret);
    expect(() => outbox.add(deep)).toThrow(RangeError);
    outbox.add(record('good-2'));
    expect(outbox.entriesOf(first).map((entry) => entry.id)).toEqual(['good-1', 'good-2']);
    expect(outbox.entriesOf(second).map((entry) => entry.id)).toEqual(['good-1', 'good-2']);
    expect(outbox.entriesOf(second).map((entry) => (JSON.parse(entry.body) as LogRecord).message)).toEqual(['good-1', 'good-2']);
    outbox.release();
  });
});
