/** `items` in consecutive slices of at most `size` (an API's limit on the IDs, names or tags one call takes). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  // A size below 1 would loop forever; it is a programming error, not an input to tolerate.
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}
