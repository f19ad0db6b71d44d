import { describe, expect, it } from '@jest/globals';
import { median, pairedRatio, quantile, round, spreadOf } from '../../../bench/stats.ts';

describe('median', () => {
  it('is the middle sample of an odd count, whatever the order', () => {
    expect(median([9, 1, 5, 3, 7])).toBe(5);
  });

  it('is the mean of the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores one wild outlier', () => {
    expect(median([10, 11, 10.5, 900, 10.2])).toBe(10.5);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates linearly between ranks', () => {
    const samples = [1, 2, 3, 4, 5];
    expect(quantile(samples, 0)).toBe(1);
    expect(quantile(samples, 0.25)).toBe(2);
    expect(quantile(samples, 0.1)).toBeCloseTo(1.4);
    expect(quantile(samples, 1)).toBe(5);
  });

  it('refuses q outside [0, 1]', () => {
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('spreadOf', () => {
  it('gives median, extremes and interquartile range', () => {
    expect(spreadOf([1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ median: 5, min: 1, max: 9, iqr: 4 });
  });

  it('of one sample has no spread', () => {
    expect(spreadOf([7])).toEqual({ median: 7, min: 7, max: 7, iqr: 0 });
  });
});

describe('round', () => {
  it('keeps the decimals asked for', () => {
    expect(round(69.16549, 3)).toBe(69.165);
    expect(round(4530.6949, 1)).toBe(4530.7);
  });
});

describe('pairedRatio', () => {
  it('is the median of the per-round ratios, so a round slow for both bundles does not move it', () => {
    // Round 3 ran on a busy machine: both imports took 5× longer; the ratio of that round is still 1.2.
    const ratio = pairedRatio([120, 121, 600, 119, 122], [100, 101, 500, 99, 100]);

    expect(ratio.median).toBeCloseTo(1.2, 2);
    expect(ratio.iqr).toBeLessThan(0.02);
  });

  it('refuses samples that are not paired', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
  });
});
