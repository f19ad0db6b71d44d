import { gzipSync } from 'node:zlib';
import type { Fetch } from '../../http/fetch.ts';
import { scrubUrl } from '../../http/scrub.ts';
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
  retryAfter: string | null;
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
    return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { kind: 'retryable', reason: networkReason(error) };
  }
}

/** 2xx delivered; 408, 429 and 5xx retryable (honouring Retry-After); any other status is permanent. */
export function classifyStatus(answer: HttpAnswer): SendOutcome {
  if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered' };
  const reason = scrubUrl(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
    // Retry-After in seconds; the HTTP-date form is rare on intake APIs and is treated as absent.
    const seconds = answer.retryAfter ? Number(answer.retryAfter) : Number.NaN;
    return Number.isFinite(seconds) ? { kind: 'retryable', reason, retryAfterMs: seconds * 1000 } : { kind: 'retryable', reason };
  }
  return { kind: 'permanent', reason };
}

/** post + classifyStatus, for destinations whose answer says nothing per record. */
export async function postBatch(fetch: Fetch, request: HttpPost, signal: AbortSignal): Promise<SendOutcome> {
  const answer = await post(fetch, request, signal);
  return 'kind' in answer ? answer : classifyStatus(answer);
}
