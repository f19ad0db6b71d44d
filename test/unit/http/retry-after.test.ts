import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_AFTER_MS, parseRetryAfterMs } from '../../../shared/http/retry-after.ts';

const NOW = Date.parse('2026-12-02T18:00:00Z');

describe('parseRetryAfterMs', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 5 ', 5_000],
    ['1.5', 1_500],
  ])('reads delay-seconds %p', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  it('reads an IMF-fixdate as the time until it', () => {
    expect(parseRetryAfterMs('Wed, 02 Dec 2026 18:00:30 GMT', NOW)).toBe(30_000);
  });

  it('reads the obsolete RFC 850 and asctime forms, asctime as UTC', () => {
    expect(parseRetryAfterMs('Wednesday, 02-Dec-26 18:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfterMs('Wed Dec  2 18:00:10 2026', NOW)).toBe(10_000);
  });

  it('gives 0 for a date in the past and a negative number', () => {
    expect(parseRetryAfterMs('Tue, 01 Dec 2026 18:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfterMs('-30', NOW)).toBe(0);
  });

  it.each([null, undefined, '', '   ', 'soon', '0x10', '1e3', '12abc', 'foo 2020', '2026-12-02T18:00:30Z', 'Wed, 32 Dec 2026 18:00:30 GMT'])('treats %p as absent', (value) => {
    expect(parseRetryAfterMs(value, NOW)).toBeUndefined();
  });

  it('caps huge values at an hour by default, or at the cap given', () => {
    expect(parseRetryAfterMs('99999999999999999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs('Fri, 01 Jan 9999 00:00:00 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs('600', NOW, 10_000)).toBe(10_000);
  });
});
