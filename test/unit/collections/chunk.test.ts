import { describe, expect, it } from '@jest/globals';
import { chunk } from '../../../shared/collections/chunk.ts';

describe('chunk', () => {
  it('gives no slice for no items', () => {
    expect(chunk([], 3)).toEqual([]);
  });

  it('keeps the order, the last slice holding the rest', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gives one slice when the items fit, and exact slices at a multiple of the size', () => {
    expect(chunk(['a', 'b'], 5)).toEqual([['a', 'b']]);
    expect(chunk([1, 2, 3, 4], 2)).toEqual([[1, 2], [3, 4]]);
  });

  it('slices one by one with a size of 1', () => {
    expect(chunk([1, 2, 3], 1)).toEqual([[1], [2], [3]]);
  });

  it('does not change its input', () => {
    const items = Object.freeze([1, 2, 3]);
    chunk(items, 2);
    expect(items).toEqual([1, 2, 3]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a size of %p (it would never end)', (size) => {
    expect(() => chunk([1, 2], size)).toThrow(RangeError);
  });
});
