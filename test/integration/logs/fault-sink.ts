import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type Fault = 'status-500' | 'status-429' | 'timeout' | 'reset';

/**
 * A loopback NDJSON destination that fails a share of requests the four ways real intakes do: a 500, a 429
 * with Retry-After, a request that never gets an answer, and a connection reset. The timeout and the reset
 * happen after the body was read and its records kept (the worst case: the destination has the data but the
 * sender cannot know), so they are where duplicates come from.
 */
export class FaultSink {
  /** Every record id received in a request the sink kept, with how many times. */
  readonly received = new Map<string, number>();
  readonly faults: Record<Fault, number> = { 'status-500': 0, 'status-429': 0, timeout: 0, reset: 0 };
  requests = 0;
  #server: Server | undefined;
  readonly #failureRate: number;
  readonly #random: () => number;

  constructor(options: { failureRate: number; random: () => number }) {
    this.#failureRate = options.failureRate;
    this.#random = options.random;
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests += 1;
        const fault = this.#pick();
        if (fault === 'status-500' || fault === 'status-429') {
          this.faults[fault] += 1;
          response.writeHead(fault === 'status-500' ? 500 : 429, fault === 'status-429' ? { 'retry-after': '1' } : {});
          response.end('{"error":"injected"}');
          return;
        }
        const raw = Buffer.concat(chunks);
        const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
        for (const line of body.split('\n')) {
          if (line === '') continue;
          const id = (JSON.parse(line) as { id: string }).id;
          this.received.set(id, (this.received.get(id) ?? 0) + 1);
        }
        if (fault === 'timeout') {
          this.faults.timeout += 1;
          return; // never answered: the sender's request timeout fires
        }
        if (fault === 'reset') {
          this.faults.reset += 1;
          request.socket.destroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #pick(): Fault | undefined {
    if (this.#random() >= this.#failureRate) return undefined;
    const faults: Fault[] = ['status-500', 'status-429', 'timeout', 'reset'];
    return faults[Math.floor(this.#random() * faults.length)];
  }
}

/** A seeded generator (mulberry32): a failing run can be reproduced. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
