/**
 * The Step Functions `Retry` rules, as pure functions. Source: AWS Step Functions Developer Guide, "Handling
 * errors in Step Functions workflows" (docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface RetryDecision {
  retrierIndex: number;
  delayMs: number;
}

const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

/**
 * Whether an error named `errorName` matches one of `errorEquals`. `States.ALL` matches any error but
 * `States.Runtime` (never retried nor caught); `States.TaskFailed` matches any error but `States.Timeout`.
 */
export function errorMatches(errorEquals: readonly string[], errorName: string): boolean {
  if (errorName === 'States.Runtime') return false;
  return errorEquals.some(
    (matcher) => matcher === errorName || matcher === 'States.ALL' || (matcher === 'States.TaskFailed' && errorName !== 'States.Timeout'),
  );
}

/**
 * The retry to make after an error, or `undefined` to give up. Retriers are scanned in order and the first
 * whose `ErrorEquals` matches decides alone: once it has used its `MaxAttempts`, the state fails even if a
 * later retrier would match. `retriesSoFar[i]` counts the retries retrier `i` already made for this state
 * entry. The pause is `IntervalSeconds × BackoffRate^retriesSoFar`, capped at `MaxDelaySeconds`; with
 * `JitterStrategy: FULL` it is a random duration between zero and that.
 */
export function decideRetry(
  retriers: readonly Retrier[],
  errorName: string,
  retriesSoFar: readonly number[],
  random: () => number,
): RetryDecision | undefined {
  const retrierIndex = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, errorName));
  const retrier = retriers[retrierIndex];
  if (retrier === undefined) return undefined;
  const attempts = retriesSoFar[retrierIndex] ?? 0;
  if (attempts >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return undefined;
  const backoffSeconds = (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** attempts;
  const cappedSeconds = retrier.MaxDelaySeconds === undefined ? backoffSeconds : Math.min(backoffSeconds, retrier.MaxDelaySeconds);
  const delaySeconds = retrier.JitterStrategy === 'FULL' ? random() * cappedSeconds : cappedSeconds;
  return { retrierIndex, delayMs: Math.round(delaySeconds * 1000) };
}
