import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from '../../../shared/concurrency/token-bucket.ts';
import type { Clock } from '../../../shared/time/clock.ts';

/** A clock that moves only when slept on. */
function steppingClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('serves a burst up to its capacity without waiting', async () => {
    const clock = steppingClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, clock });
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(clock.slept).toEqual([]);
  });

  it('paces takes past the burst at the refill rate, in order', async () => {
    const clock = steppingClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, clock });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => bucket.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.slept).toEqual([100, 100]);
  });
});
