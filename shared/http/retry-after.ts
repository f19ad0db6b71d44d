/**
 * Retry-After (RFC 9110 §10.2.3): `delay-seconds` (1*DIGIT) or an `HTTP-date` (§5.6.7: IMF-fixdate, and the
 * obsolete RFC 850 and asctime forms a recipient must still accept). Returned as milliseconds to wait.
 *
 * - A past date, or a negative or zero number, is "retry now": 0.
 * - A fractional number of seconds is not in the grammar but is sent by some proxies; it is taken as is.
 * - Anything else (empty, `soon`, `0x10`, `1e3`, a date string that is not one of the three forms) is
 *   absent: the caller's own backoff applies. `Date.parse` alone would accept too much (`foo 2020`).
 * - The wait is capped (default one hour): a huge value must not overflow a timer (setTimeout fires at
 *   once past 2^31 - 1 ms) or stall a caller that would sleep through it.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

const SECONDS = /^-?\d+(?:\.\d+)?$/;
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** Milliseconds to wait from `nowMs`, or undefined when the header is absent or not a Retry-After value. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number, capMs: number = MAX_RETRY_AFTER_MS): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const waitMs = SECONDS.test(text) ? Number(text) * 1000 : untilHttpDate(text, nowMs);
  if (waitMs === undefined || Number.isNaN(waitMs)) return undefined;
  return Math.min(capMs, Math.max(0, Math.ceil(waitMs)));
}

function untilHttpDate(text: string, nowMs: number): number | undefined {
  let date: number;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) date = Date.parse(text);
  // asctime carries no zone and means UTC; Date.parse would read it as local time.
  else if (ASCTIME_DATE.test(text)) date = Date.parse(`${text.replace(/ {2}/, ' ')} GMT`);
  else return undefined;
  return Number.isNaN(date) ? undefined : date - nowMs;
}
