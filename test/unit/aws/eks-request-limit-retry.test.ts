import { describe, expect, it } from '@jest/globals';
import { withEksRequestLimitRetry } from '../../../shared/aws/eks-request-limit-retry.ts';
import type { Clock } from '../../../shared/time/clock.ts';

function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => new Date(0), sleep: async (ms) => void slept.push(ms) };
}

const limited = () => Object.assign(new Error('Request limit exceeded.'), { name: 'ClientException' });

describe('withEksRequestLimitRetry', () => {
  it('returns at once when the call succeeds', async () => {
    const clock = recordingClock();
    await expect(withEksRequestLimitRetry(async () => 'ok', clock)).resolves.toBe('ok');
    expect(clock.slept).toEqual([]);
  });

  it('retries "Request limit exceeded" with growing jittered waits, then succeeds', async () => {
    const clock = recordingClock();
    let calls = 0;
    const result = await withEksRequestLimitRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw limited();
        return calls;
      },
      clock,
      () => 1,
    );
    expect(result).toBe(3);
    expect(clock.slept).toEqual([200, 400]);
  });

  it('gives up after five attempts with the last error', async () => {
    const clock = recordingClock();
    await expect(withEksRequestLimitRetry(async () => Promise.reject(limited()), clock, () => 0)).rejects.toThrow('Request limit exceeded');
    expect(clock.slept).toHaveLength(4);
  });

  it('throws any other error at once', async () => {
    const clock = recordingClock();
    await expect(withEksRequestLimitRetry(async () => Promise.reject(new Error('AccessDenied')), clock)).rejects.toThrow('AccessDenied');
    expect(clock.slept).toEqual([]);
  });
});
