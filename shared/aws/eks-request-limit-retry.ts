import type { Clock } from '../time/clock.ts';

const ATTEMPTS = 5;
const BASE_DELAY_MS = 200;

/**
 * EKS answers a burst of Describe/List calls with a ClientException whose message is "Request limit
 * exceeded", which the SDK does not classify as throttling and so never retries. Retry those (jittered
 * exponential backoff, bounded); everything else is thrown at once.
 */
export async function withEksRequestLimitRetry<T>(call: () => Promise<T>, clock: Clock, random: () => number = Math.random): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRequestLimitExceeded(error)) throw error;
      await clock.sleep(Math.round(BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + random() / 2)));
    }
  }
}

export function isRequestLimitExceeded(error: unknown): boolean {
  return error instanceof Error && /request limit exceeded/i.test(error.message);
}
