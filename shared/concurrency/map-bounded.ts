/**
 * Runs `work` over `items` with at most `limit` calls in flight (AWS API quotas and destinations' rate
 * limits are per account, Region or endpoint, so a burst of parallel calls is throttled).
 *
 * - Results are in the order of `items`, whatever order the calls finish in.
 * - Items are started in order; `limit` below 1 (or not a number) runs one at a time rather than none.
 * - The first rejection rejects the returned promise at once, with that error (as `Promise.all`), and no
 *   item starts after it; calls already in flight run to their end, their outcomes dropped. (Waiting for
 *   them instead would hang a caller whose in-flight call sleeps on a virtual clock that only its caller
 *   advances.)
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const workers = Math.min(items.length, Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : limit > 0 ? items.length : 1);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
