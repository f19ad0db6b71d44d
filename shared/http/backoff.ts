/**
 * Jittered exponential backoff ("full jitter", as the AWS SDKs do): a random wait between 0 and
 * min(cap, base × 2^attempt), or what the destination asked for with Retry-After when that is longer.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, capMs: 10_000, random: Math.random };

export function backoffDelay(attempt: number, policy: BackoffPolicy, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(policy.random() * ceiling);
  return retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
}
