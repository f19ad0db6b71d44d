import { deliver, type DeliveryOptions } from './delivery.ts';
import type { LogDestination } from './destinations/destination.ts';
import type { FailureStore, ReadFailure } from './failure-store.ts';

export interface ReplayOptions extends Omit<DeliveryOptions, 'maxAttempts'> {
  /** Only this destination's failures. */
  destination?: string;
  /** Plan only: count what would be resent. */
  dryRun?: boolean;
  maxAttempts?: number;
}

export interface ReplaySummary {
  objects: number;
  /** Records resent and accepted. */
  delivered: number;
  /** Records still in the store after this run. */
  remaining: number;
  /** Objects deleted because everything in them was delivered. */
  cleared: number;
  /** Destinations named in the store that the configuration no longer has: their records stay. */
  unknownDestinations: string[];
}

/**
 * Resends the records of the failure store to their destinations, object by object, oldest first. An object
 * is deleted only once all its records are delivered; otherwise it is rewritten with what is left (the
 * attempts counted), so a crash in the middle resends at most one object's records twice.
 */
export async function replayFailures(store: FailureStore, destinations: readonly LogDestination[], options: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { objects: 0, delivered: 0, remaining: 0, cleared: 0, unknownDestinations: [] };
  const byName = new Map(destinations.map((destination) => [destination.name, destination]));
  for (const key of await store.listFailed(options.destination)) {
    if (options.remainingMs() - (options.reserveMs ?? 5_000) <= 0) break;
    summary.objects += 1;
    const stored = await store.read(key);
    if (options.dryRun) {
      summary.remaining += stored.length;
      continue;
    }
    const remaining: ReadFailure[] = [];
    const groups = new Map<string, ReadFailure[]>();
    for (const failure of stored) {
      const group = groups.get(failure.destination);
      if (group) group.push(failure);
      else groups.set(failure.destination, [failure]);
    }
    for (const [name, failures] of groups) {
      const destination = byName.get(name);
      if (!destination) {
        if (!summary.unknownDestinations.includes(name)) summary.unknownDestinations.push(name);
        remaining.push(...failures);
        continue;
      }
      // Replay sends to this destination only, whatever its routing says now: these records were routed to it.
      const target = { ...destination, accepts: () => true, name: destination.name };
      // Each record is resent as it was stored, byte for byte.
      const report = await deliver(
        failures.map((failure) => ({ record: failure.record, json: failure.recordJson })),
        [target],
        options,
      );
      // What was delivered is gone from the object only when the object is rewritten below.
      summary.delivered += report.delivered[name] ?? 0;
      // Kept as they were read (the stored record, its attempts added up), by event id.
      const before = new Map(failures.map((failure) => [failure.record.id, failure]));
      for (const failure of report.failed) {
        for (const { id } of failure.records) {
          const stored = before.get(id);
          if (!stored) throw new Error(`replay: delivery reported record ${id}, which was not in ${key}`);
          remaining.push({ destination: name, reason: failure.reason, attempts: stored.attempts + failure.attempts, failedAt: options.clock.now().toISOString(), record: stored.record, recordJson: stored.recordJson });
        }
      }
    }
    await store.rewrite(key, remaining);
    if (remaining.length === 0) summary.cleared += 1;
    summary.remaining += remaining.length;
  }
  return summary;
}
