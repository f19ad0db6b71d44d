import { describe, expect, it } from '@jest/globals';
import { decideRetry, errorMatches, type Retrier } from '../../../local/stepfunctions/retry-policy.ts';

const never = () => {
  throw new Error('no jitter expected');
};

describe('errorMatches', () => {
  it('matches a name exactly, case included', () => {
    expect(errorMatches(['ResourceInUseException'], 'ResourceInUseException')).toBe(true);
    expect(errorMatches(['ResourceInUseException'], 'resourceinuseexception')).toBe(false);
  });

  it('lets States.ALL match anything but States.Runtime', () => {
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
  });

  it('lets States.TaskFailed match anything but States.Timeout', () => {
    expect(errorMatches(['States.TaskFailed'], 'ThrottlingException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
  });
});

describe('decideRetry', () => {
  const retriers: Retrier[] = [
    { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
    { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
  ];

  // The worked example of the AWS guide: errors A, B, C, B cause waits of 1 s, 2 s, 5 s, then no retry.
  it('keeps a count per retrier and never falls through to a later one', () => {
    const counts = [0, 0];
    const outcomes = ['ErrorA', 'ErrorB', 'ErrorC', 'ErrorB'].map((error) => {
      const retry = decideRetry(retriers, error, counts, never);
      if (retry) counts[retry.retrierIndex] = (counts[retry.retrierIndex] ?? 0) + 1;
      return retry?.delayMs;
    });
    expect(outcomes).toEqual([1000, 2000, 5000, undefined]);
  });

  it('applies the defaults: 1 s, backoff 2, three attempts', () => {
    const retrier: Retrier[] = [{ ErrorEquals: ['States.ALL'] }];
    expect([0, 1, 2, 3].map((attempts) => decideRetry(retrier, 'Any', [attempts], never)?.delayMs)).toEqual([1000, 2000, 4000, undefined]);
  });

  it('caps the pause at MaxDelaySeconds and never retries with MaxAttempts 0', () => {
    expect(decideRetry([{ ErrorEquals: ['E'], IntervalSeconds: 30, BackoffRate: 4, MaxAttempts: 5, MaxDelaySeconds: 100 }], 'E', [2], never)?.delayMs).toBe(100_000);
    expect(decideRetry([{ ErrorEquals: ['E'], MaxAttempts: 0 }], 'E', [0], never)).toBeUndefined();
  });

  it('pauses a random share of the delay with JitterStrategy FULL', () => {
    expect(decideRetry([{ ErrorEquals: ['E'], IntervalSeconds: 8, JitterStrategy: 'FULL' }], 'E', [1], () => 0.5)?.delayMs).toBe(8000);
  });

  it('does not retry an error no retrier names', () => {
    expect(decideRetry(retriers, 'ErrorD', [0, 0], never)).toBeUndefined();
  });
});
