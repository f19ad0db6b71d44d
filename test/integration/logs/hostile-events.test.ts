// One hostile event costs only itself: the others of its payload reach the loopback destination, and it is
// kept in the failure store's rejected/ area with its reason.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { makeHandler } from '../../../functions/log-forwarder/app.ts';
import { HttpSink } from '../../../local/sinks/http-sink.ts';
import type { ForwardSummary } from '../../../shared/logs/forward-logs.ts';
import { decodeSubscriptionData, encodeSubscriptionData } from '../../../shared/logs/subscription-payload.ts';
import { fixtureLines } from '../../unit/logs/fixtures.ts';
import { deepInSecret, deepWithPattern } from '../../unit/logs/hostile.ts';
import { contextFor, forwarderDeps, logsSandbox, storedLines, subscriptionEvent } from './harness.ts';

let sink: HttpSink;
let sandbox: ReturnType<typeof logsSandbox>;

function setUp(patterns: string[] = []) {
  sandbox = logsSandbox({
    destinations: [{ name: 'central', type: 'http', url: `${sink.url}/ingest`, authorization: { ssmParameter: '/eksops/logs/http' } }],
    redaction: { patterns },
  });
  sandbox.aws.services.ssm.seedParameter(sandbox.aws.here, '/eksops/logs/http', 'Bearer s3cr3t-token', 'SecureString');
  return makeHandler(forwarderDeps(sandbox));
}

async function forward(handler: ReturnType<typeof setUp>, event: unknown): Promise<ForwardSummary> {
  return (await handler(event, contextFor(sandbox.aws))) as ForwardSummary;
}

/** 50 good audit events (the real samples, repeated), with `bad` among them. */
function fiftyAnd(bad: string): string[] {
  const good = fixtureLines('real/audit.ndjson');
  const messages = Array.from({ length: 50 }, (_, index) => good[index % good.length] as string);
  messages.splice(17, 0, bad);
  return messages;
}

beforeEach(async () => {
  sink = new HttpSink({ clock: { now: () => new Date(), sleep: async () => undefined } });
  await sink.start();
});
afterEach(async () => {
  await sink.close();
});

describe('a hostile event in a payload of good ones', () => {
  it.each([
    ['nested 20,000 levels deep, with a configured pattern', deepWithPattern, ['hunter2-secret']],
    ['nested 20,000 levels deep inside a kind: Secret, with the default redaction', deepInSecret, []],
  ])('delivers the 50 good events and keeps the one %s under rejected/ with its reason', async (_what, bad, patterns) => {
    const handler = setUp(patterns);
    const event = subscriptionEvent('kube-apiserver-audit-6b1f', fiftyAnd(bad));
    const sent = decodeSubscriptionData(event.awslogs.data);
    const badId = sent.kind === 'data' ? sent.payload.logEvents[17]?.id : undefined;
    const summary = await forward(handler, event);

    expect(summary).toMatchObject({ outcome: 'forwarded', eventsIn: 51, rejected: 1, destinations: { central: { forwarded: 50, failed: 0 } } });
    const records = sink.records() as { id: string }[];
    expect(records).toHaveLength(50);
    expect(records.some((record) => record.id === badId)).toBe(false);
    expect(storedLines(sandbox.aws, 'rejected/')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^event could not be processed: RangeError: Maximum call stack size exceeded/), logGroup: '/aws/eks/prod/cluster', event: expect.objectContaining({ id: badId, message: bad }) }),
    ]);
    expect(storedLines(sandbox.aws, 'failed/')).toEqual([]);
  });

  it('delivers the other events of a payload with one malformed event, and keeps that one under rejected/', async () => {
    const handler = setUp();
    const event = subscriptionEvent('kube-apiserver-audit-6b1f', fixtureLines('real/audit.ndjson').slice(0, 5));
    const decoded = decodeSubscriptionData(event.awslogs.data);
    if (decoded.kind !== 'data') throw new Error('the fixture payload decodes');
    const payload = decoded.payload as unknown as { logEvents: unknown[] };
    payload.logEvents.splice(2, 0, { id: 42, timestamp: 1, message: 'not an event' });
    const summary = await forward(handler, { awslogs: { data: encodeSubscriptionData(payload as Record<string, unknown>) } });

    expect(summary).toMatchObject({ outcome: 'forwarded', eventsIn: 6, rejected: 1, destinations: { central: { forwarded: 5, failed: 0 } } });
    expect(sink.records()).toHaveLength(5);
    expect(storedLines(sandbox.aws, 'rejected/')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/logEvents\[2\] is not a CloudWatch Logs event: id is not a string/), malformedEvent: { index: 2, json: '{"id":42,"timestamp":1,"message":"not an event"}' } }),
    ]);
  });
});
