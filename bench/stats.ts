/**
 * The q-quantile (0 ≤ q ≤ 1) of the samples, interpolating linearly between the two nearest ranks (the
 * method of R's default type 7 and NumPy's `linear`).
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const lower = sorted[below] ?? Number.NaN;
  const upper = sorted[Math.ceil(rank)] ?? lower;
  return lower + (upper - lower) * (rank - below);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Interquartile range (p75 − p25): the noise, insensitive to the odd outlier. */
  iqr: number;
}

export function spreadOf(samples: readonly number[]): Spread {
  return {
    median: median(samples),
    min: quantile(samples, 0),
    max: quantile(samples, 1),
    iqr: quantile(samples, 0.75) - quantile(samples, 0.25),
  };
}

/** Rounds for results.json: figures whose last digits are noise should not pretend otherwise. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * The median of the per-round ratios `samples[i] / baselines[i]`, with their IQR: when each round measures
 * the subject and its baseline back to back, a slow or busy moment hits both, and the ratio cancels it where
 * a ratio of medians would not; the median then ignores the rounds where it did not.
 */
export function pairedRatio(samples: readonly number[], baselines: readonly number[]): { median: number; iqr: number } {
  if (samples.length !== baselines.length) throw new RangeError(`paired ratio of ${samples.length} samples and ${baselines.length} baselines`);
  const ratios = samples.map((sample, index) => sample / (baselines[index] ?? Number.NaN));
  return { median: median(ratios), iqr: quantile(ratios, 0.75) - quantile(ratios, 0.25) };
}
