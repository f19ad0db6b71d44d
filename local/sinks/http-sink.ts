import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Clock } from '../../shared/time/clock.ts';

export interface HttpSinkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as received (compressed if it was sent compressed). */
  raw: Buffer;
  /** The body after undoing `Content-Encoding: gzip`. */
  body: string;
  receivedAt: Date;
  status: number;
}

/** What the sink answers: by default 200 `{}`; a test can answer per request (e.g. _bulk item errors). */
export type HttpSinkResponder = (request: HttpSinkRequest) => { status: number; headers?: Record<string, string>; body?: string };

/**
 * A loopback HTTP server that stands for a log destination: it records every request with its decoded body,
 * and can fail the next requests with a status (429 with Retry-After, 5xx) or go down entirely (connections
 * refused) and come back up on the same port.
 */
export class HttpSink {
  readonly requests: HttpSinkRequest[] = [];
  readonly #clock: Clock;
  readonly #failures: { status: number; retryAfterSeconds?: number }[] = [];
  #responder: HttpSinkResponder = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
  #server: Server | undefined;
  #port = 0;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  async start(): Promise<string> {
    await this.#listen(this.#port);
    return this.url;
  }

  get url(): string {
    if (this.#port === 0) throw new Error('HttpSink is not started');
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Requests the sink accepted (2xx). */
  get accepted(): HttpSinkRequest[] {
    return this.requests.filter((request) => request.status >= 200 && request.status < 300);
  }

  /** Every NDJSON line of the accepted requests, parsed. */
  records(): unknown[] {
    return this.accepted.flatMap((request) => request.body.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown));
  }

  respondWith(responder: HttpSinkResponder): void {
    this.#responder = responder;
  }

  failNext(count: number, failure: { status: number; retryAfterSeconds?: number }): void {
    for (let i = 0; i < count; i++) this.#failures.push(failure);
  }

  /** Stops listening: connections are refused until `comeUp()`. */
  async goDown(): Promise<void> {
    await this.close();
  }

  async comeUp(): Promise<void> {
    await this.#listen(this.#port);
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  async #listen(port: number): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const recorded: HttpSinkRequest = {
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: request.headers,
          raw,
          body: decode(raw, request.headers['content-encoding']),
          receivedAt: this.#clock.now(),
          status: 0,
        };
        const failure = this.#failures.shift();
        const answer = failure
          ? { status: failure.status, headers: failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) }, body: '{"error":"injected failure"}' }
          : this.#responder(recorded);
        recorded.status = answer.status;
        this.requests.push(recorded);
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }
}

function decode(raw: Buffer, encoding: string | undefined): string {
  if (encoding === 'gzip') {
    try {
      return gunzipSync(raw).toString('utf8');
    } catch {
      return '<invalid gzip>';
    }
  }
  return raw.toString('utf8');
}
