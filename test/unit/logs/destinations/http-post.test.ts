import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postBatch } from '../../../../shared/logs/destinations/http-post.ts';

// A loopback server that answers with the status and headers the request's path names.
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const headers: Record<string, string> = {};
    for (const [key, value] of url.searchParams) headers[key] = value;
    request.resume();
    request.on('end', () => {
      // sendDate would add a Date header of its own; the test decides whether there is one.
      response.sendDate = false;
      response.writeHead(Number(url.pathname.slice(1)), headers).end('busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const send = (path: string) => postBatch(fetch, { url: `${base}${path}`, headers: {}, body: 'x' }, AbortSignal.timeout(5_000));

describe('postBatch Retry-After and status', () => {
  it('reads delay-seconds', async () => {
    await expect(send('/429?retry-after=3')).resolves.toMatchObject({ kind: 'retryable', retryAfterMs: 3_000 });
  });

  it('reads an HTTP-date against the answer’s own Date header', async () => {
    const outcome = await send(`/503?${new URLSearchParams({ date: 'Wed, 02 Dec 2026 18:00:00 GMT', 'retry-after': 'Wed, 02 Dec 2026 18:00:20 GMT' })}`);
    expect(outcome).toMatchObject({ kind: 'retryable', retryAfterMs: 20_000 });
  });

  it('reads a past date as 0 and a negative number as 0', async () => {
    await expect(send(`/503?${new URLSearchParams({ date: 'Wed, 02 Dec 2026 18:00:00 GMT', 'retry-after': 'Tue, 01 Dec 2026 18:00:00 GMT' })}`)).resolves.toMatchObject({ retryAfterMs: 0 });
    await expect(send('/429?retry-after=-5')).resolves.toMatchObject({ retryAfterMs: 0 });
  });

  it('has no Retry-After for garbage, or for a date without a Date header to measure it against', async () => {
    await expect(send('/429?retry-after=soon')).resolves.toEqual({ kind: 'retryable', reason: 'HTTP 429: busy' });
    await expect(send(`/429?${new URLSearchParams({ 'retry-after': 'Wed, 02 Dec 2026 18:00:20 GMT' })}`)).resolves.toEqual({ kind: 'retryable', reason: 'HTTP 429: busy' });
  });

  it('caps a huge value', async () => {
    await expect(send('/503?retry-after=99999999999')).resolves.toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it('retries 408 and 425, and gives up at once on 501 and 400', async () => {
    await expect(send('/408')).resolves.toMatchObject({ kind: 'retryable' });
    await expect(send('/425')).resolves.toMatchObject({ kind: 'retryable' });
    await expect(send('/501')).resolves.toMatchObject({ kind: 'permanent' });
    await expect(send('/400')).resolves.toMatchObject({ kind: 'permanent' });
  });
});
