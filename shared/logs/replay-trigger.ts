import * as z from 'zod';
import type { Clock } from '../time/clock.ts';
import type { LogDestination } from './destinations/destination.ts';
import type { FailureStore } from './failure-store.ts';
import { type ReplaySummary, replayFailures } from './replay.ts';

/** The schedule's event (`logs.replaySchedule`), or a manual invocation naming one destination: `{ "destination": "splunk" }`. */
export const ReplayEventSchema = z.looseObject({ destination: z.string().optional() });
export type ReplayEvent = z.infer<typeof ReplayEventSchema>;

/**
 * Resends what the failure store holds. The schedule is opt-in (without `logs.replaySchedule` it is deployed
 * disabled, and an event that still arrives does nothing); a manual invocation naming a destination always runs.
 */
export async function replayOnTrigger(
  event: ReplayEvent,
  deps: { replaySchedule: string | undefined; store: FailureStore; destinations: readonly LogDestination[]; clock: Clock; remainingMs: () => number },
): Promise<ReplaySummary | { outcome: 'disabled' }> {
  if (!deps.replaySchedule && !event.destination) return { outcome: 'disabled' };
  return replayFailures(deps.store, deps.destinations, { clock: deps.clock, remainingMs: deps.remainingMs, ...(event.destination ? { destination: event.destination } : {}) });
}
