import { afterEach, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { HttpSink } from '../../../local/sinks/http-sink.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

let sink: HttpSink | undefined;
afterEach(async () => {
  await sink?.close();
});

describe('the loopback log-destination sink', () => {
  it('records gzip NDJSON as the records it holds', async () => {
    sink = new HttpSink({ clock: new VirtualClock('2026-01-01T00:00:00Z') });
    const url = await sink.start();
    const body = gzipSync('{"a":1}\n{"b":2}\n');
    const response = await fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' }, body });
    expect(response.status).toBe(200);
    expect(sink.records()).toEqual([{ a: 1 }, { b: 2 }]);
    expect(sink.requests[0]).toMatchObject({ method: 'POST', path: '/ingest', raw: body, receivedAt: new Date('2026-01-01T00:00:00Z') });
  });

  it('fails the next requests as told, then accepts again', async () => {
    sink = new HttpSink({ clock: new VirtualClock() });
    const url = await sink.start();
    sink.failNext(2, { status: 429, retryAfterSeconds: 3 });
    const first = await fetch(url, { method: 'POST', body: '{"n":1}' });
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await fetch(url, { method: 'POST', body: '{"n":1}' })).status).toBe(429);
    expect((await fetch(url, { method: 'POST', body: '{"n":1}' })).status).toBe(200);
    expect(sink.records()).toEqual([{ n: 1 }]);
  });

  it('refuses connections while down and comes back on the same address', async () => {
    sink = new HttpSink({ clock: new VirtualClock() });
    const url = await sink.start();
    await sink.goDown();
    const refused = await fetch(url, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect((refused as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    await sink.comeUp();
    expect(sink.url).toBe(url);
    expect((await fetch(url, { method: 'POST', body: '{"back":true}' })).status).toBe(200);
    expect(sink.records()).toEqual([{ back: true }]);
  });
});
