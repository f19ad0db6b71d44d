import { describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

describe('VirtualClock', () => {
  it('adds up sequential sleeps', async () => {
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    await clock.sleep(1000);
    await clock.sleep(500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });

  it('wakes parallel sleepers that started together at the same instant', async () => {
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    await Promise.all([clock.sleep(1000), clock.sleep(1000), clock.sleep(300)]);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('rejects with the abort reason', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    controller.abort(new Error('out of time'));
    await expect(clock.sleep(10, controller.signal)).rejects.toThrow('out of time');
  });

  it('never moves backwards', () => {
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.advanceTo(new Date('2025-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
