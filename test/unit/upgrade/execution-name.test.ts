import { describe, expect, it } from '@jest/globals';
import { executionName } from '../../../shared/upgrade/execution-name.ts';
import { lockKey } from '../../../shared/upgrade/lock.ts';

const at = new Date('2026-03-02T09:00:00Z');
describe('execution names fit Step Functions whatever the EKS cluster name', () => {
  it('keeps short names readable', () => expect(executionName('prod-eu', at)).toBe('prod-eu-20260302T0900Z'));
  it('a 100-character cluster gives ≤ 80 allowed characters, distinct for a shared 80-char prefix', () => {
    const a = `a${'x'.repeat(98)}1`;
    const b = `a${'x'.repeat(98)}2`;
    for (const name of [executionName(a, at), executionName(b, at)]) {
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(name.startsWith('axxx')).toBe(true);
    }
    expect(executionName(a, at)).not.toBe(executionName(b, at));
    expect(executionName({ cluster: a, opensAt: at, accountId: '111122223333' })).not.toBe(executionName({ cluster: a, opensAt: at, accountId: '444455556666' }));
  });
});
describe('one lock key per cluster', () => {
  it('own account by ID, self, or omitted: same key', () => {
    const keys = [undefined, 'self', '111122223333'].map((accountId) => lockKey({ name: 'prod', region: 'eu-west-1', ...(accountId ? { accountId } : {}) }, '111122223333'));
    expect(new Set(keys).size).toBe(1);
    expect(lockKey({ name: 'prod', region: 'eu-west-1', accountId: '444455556666' }, '111122223333')).toBe('444455556666/eu-west-1/prod');
  });
});
