import { describe, expect, it } from '@jest/globals';
import { mapBounded } from '../../../shared/concurrency/map-bounded.ts';

/** A deferred call per item, so a test decides when each one finishes. */
function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapBounded', () => {
  it('returns an empty array for no items, without calling work', async () => {
    const calls: number[] = [];
    await expect(mapBounded([], 4, async (item: number) => calls.push(item))).resolves.toEqual([]);
    expect(calls).toEqual([]);
  });

  it('runs one at a time with a limit of 1, in order', async () => {
    const events: string[] = [];
    const result = await mapBounded([1, 2, 3], 1, async (item) => {
      events.push(`start ${item}`);
      await tick();
      events.push(`end ${item}`);
      return item * 10;
    });
    expect(result).toEqual([10, 20, 30]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it.each([0, -3, Number.NaN])('treats a limit of %p as 1 rather than running nothing', async (limit) => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapBounded([1, 2, 3], limit, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight -= 1;
      return item;
    });
    expect(result).toEqual([1, 2, 3]);
    expect(peak).toBe(1);
  });

  it('starts no more workers than items when the limit is larger', async () => {
    let started = 0;
    const result = await mapBounded(['a', 'b'], 50, async (item, index) => {
      started += 1;
      return `${item}${index}`;
    });
    expect(result).toEqual(['a0', 'b1']);
    expect(started).toBe(2);
  });

  it('never has more than `limit` calls in flight, and keeps the order of the items whatever order they finish in', async () => {
    const gates = [0, 1, 2, 3, 4].map(() => gate<string>());
    let inFlight = 0;
    let peak = 0;
    const running = mapBounded([0, 1, 2, 3, 4], 2, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await at(gates, item).promise;
      } finally {
        inFlight -= 1;
      }
    });
    await tick();
    expect(inFlight).toBe(2);
    at(gates, 1).open('one');
    await tick();
    at(gates, 2).open('two');
    at(gates, 0).open('zero');
    await tick();
    at(gates, 4).open('four');
    at(gates, 3).open('three');
    await expect(running).resolves.toEqual(['zero', 'one', 'two', 'three', 'four']);
    expect(peak).toBe(2);
  });

  it('on a rejection rejects at once with that error and starts no new item; the calls in flight run on', async () => {
    const gates = [0, 1, 2, 3].map(() => gate<number>());
    const started: number[] = [];
    const finished: number[] = [];
    const running = mapBounded([0, 1, 2, 3], 2, async (item) => {
      started.push(item);
      const value = await at(gates, item).promise;
      finished.push(item);
      return value;
    });
    await tick();
    at(gates, 0).fail(new Error('first'));
    await expect(running).rejects.toThrow('first');
    expect(started).toEqual([0, 1]);
    at(gates, 1).open(1);
    await tick();
    expect(finished).toEqual([1]);
    expect(started).toEqual([0, 1]);
  });

  it('passes each item its index', async () => {
    await expect(mapBounded(['x', 'y', 'z'], 2, async (item, index) => `${index}:${item}`)).resolves.toEqual(['0:x', '1:y', '2:z']);
  });
});
