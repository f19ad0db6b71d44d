import { gzipSync } from 'node:zlib';
import type { Fetch } from '../../http/fetch.ts';
import { parseRetryAfterMs } from '../../http/retry-after.ts';
import { scrubUrl } from '../../http/scrub.ts';
import { isRetryableStatus } from '../../http/status.ts';
import type { SendOutcome } from './destination.ts';

export interface HttpPost {
  url: string;
  headers: Record<string, string>;
  /** A string, or its UTF-8 bytes. */
  body: string | Buffer;
  gzip?: boolean;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** The answer's Retry-After, already read (seconds or HTTP-date, capped); undefined when absent or garbled. */
  retryAfterMs?: number | undefined;
}

/** Node's fetch wraps socket errors: TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `request timed out (${name})`;
  return scrubUrl(`network error: ${code ?? (error as Error).message}`);
}

/**
 * One POST. A network failure or a timeout is retryable; an HTTP answer is returned for the destination to
 * read (some report per-item errors in a 200). `classifyStatus` covers the rest.
 */
export async function post(fetch: Fetch, request: HttpPost, signal: AbortSignal): Promise<HttpAnswer | { kind: 'retryable'; reason: string }> {
  const headers = { ...request.headers };
  let body: string | Buffer = request.body;
  if (request.gzip) {
    body = gzipSync(request.body, { level: 1 });
    headers['content-encoding'] = 'gzip';
  }
  try {
    const response = await fetch(request.url, { method: 'POST', headers, body, signal });
    return { status: response.status, text: await response.text(), retryAfterMs: retryAfterOf(response.headers) };
  } catch (error) {
    return { kind: 'retryable', reason: networkReason(error) };
  }
}

/**
 * Destinations take no clock, so an HTTP-date Retry-After is measured against the answer's own Date header
 * (RFC 9110 §6.6.1: an origin server with a clock must send it), which also cancels any skew between our clock
 * and the server's. Without a Date header only the delay-seconds form can be read.
 */
function retryAfterOf(headers: Headers): number | undefined {
  const serverNow = Date.parse(headers.get('date') ?? ''); // NaN without one: a date then reads as absent
  return parseRetryAfterMs(headers.get('retry-after'), serverNow);
}

/** 2xx delivered; what `isRetryableStatus` says is retryable is (honouring Retry-After); any other status is permanent. */
export function classifyStatus(answer: HttpAnswer): SendOutcome {
  if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered' };
  const reason = scrubUrl(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (isRetryableStatus(answer.status)) return answer.retryAfterMs === undefined ? { kind: 'retryable', reason } : { kind: 'retryable', reason, retryAfterMs: answer.retryAfterMs };
  return { kind: 'permanent', reason };
}

/** post + classifyStatus, for destinations whose answer says nothing per record. */
export async function postBatch(fetch: Fetch, request: HttpPost, signal: AbortSignal): Promise<SendOutcome> {
  const answer = await post(fetch, request, signal);
  return 'kind' in answer ? answer : classifyStatus(answer);
}
