/** How observe.ts reads AWS: every page of a paginator, and Describe calls a few at a time. */

/** Describe calls run this many at a time: enough to read 50 node groups quickly, few enough not to be throttled. */
export const DESCRIBE_CONCURRENCY = 8;

export async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[]): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...items(page));
  return all;
}
