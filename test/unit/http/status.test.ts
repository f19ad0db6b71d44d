import { describe, expect, it } from '@jest/globals';
import { isRetryableStatus } from '../../../shared/http/status.ts';

describe('isRetryableStatus', () => {
  it.each([408, 425, 429, 500, 502, 503, 504, 507, 520, 599])('retries %p', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([100, 200, 301, 304, 400, 401, 403, 404, 409, 410, 413, 422, 501, 505, 506, 508, 510, 511, 600, 0])('does not retry %p', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});
