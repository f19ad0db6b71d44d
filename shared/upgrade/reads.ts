/** How observe.ts reads AWS: every page of a paginator, and Describe calls a few at a time. */

/** Describe calls run this many at a time: enough to read 50 node groups quickly, few enough not to be throttled. */
const DESCRIBE_CONCURRENCY = 8;

export async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[]): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...items(page));
  return all;
}

export async function mapLimited<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, items.length) }, worker));
  return results;
}

/** `items` in consecutive slices of at most `size` (an API's limit on the IDs or names one call takes). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}
