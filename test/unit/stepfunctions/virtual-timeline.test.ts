import { describe, expect, it } from '@jest/globals';
import { VirtualTimeline } from '../../../local/stepfunctions/virtual-timeline.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

describe('VirtualTimeline', () => {
  const start = new Date('2026-01-05T09:00:00Z');
  const secondsSince = (clock: VirtualClock) => (clock.now().getTime() - start.getTime()) / 1000;

  it('wakes sleepers in order of their wake-up time, so staggered sleeps interleave as on a wall clock', async () => {
    const clock = new VirtualClock(start);
    const timeline = new VirtualTimeline(clock);
    const signal = new AbortController().signal;
    const woke: Array<[string, number]> = [];
    const long = timeline.sleep(600_000, signal).then(() => woke.push(['long', secondsSince(clock)]));
    const short = (async () => {
      await timeline.sleep(60_000, signal);
      woke.push(['short', secondsSince(clock)]);
      await timeline.sleep(60_000, signal);
      woke.push(['short again', secondsSince(clock)]);
    })();
    await Promise.all([long, short]);
    expect(woke).toEqual([
      ['short', 60],
      ['short again', 120],
      ['long', 600],
    ]);
  });

  it('never moves time for a deadline alone', async () => {
    const clock = new VirtualClock(start);
    const timeline = new VirtualTimeline(clock);
    const cancel = new AbortController();
    let deadlinePassed = false;
    const deadline = timeline.deadline(new Date(start.getTime() + 1000), cancel.signal).then(() => (deadlinePassed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect({ deadlinePassed, seconds: secondsSince(clock) }).toEqual({ deadlinePassed: false, seconds: 0 });
    cancel.abort(new Error('cancelled'));
    await expect(deadline).rejects.toThrow('cancelled');
  });

  it('does not move time while a handler runs, and fires a deadline once a sleep carries time past it', async () => {
    const clock = new VirtualClock(start);
    const timeline = new VirtualTimeline(clock);
    const signal = new AbortController().signal;
    let deadlinePassed = false;
    void timeline.deadline(new Date(start.getTime() + 1000), signal).then(() => (deadlinePassed = true));
    const sleeping = timeline.sleep(5000, signal);
    await timeline.instant(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(secondsSince(clock)).toBe(0);
    });
    await sleeping;
    expect(deadlinePassed).toBe(true);
    expect(secondsSince(clock)).toBe(5);
  });

  it('rejects a sleep with the abort reason', async () => {
    const timeline = new VirtualTimeline(new VirtualClock(start));
    const controller = new AbortController();
    const sleeping = timeline.sleep(1000, controller.signal);
    controller.abort(new Error('execution stopped'));
    await expect(sleeping).rejects.toThrow('execution stopped');
  });
});
