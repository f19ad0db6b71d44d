import { isJsonObject, type JsonValue } from './asl.ts';
import { TaskFailure } from './task-failure.ts';
import type { VirtualTimeline } from './virtual-timeline.ts';

/**
 * How long a Wait waits, from the Parameters its virtual-wait Task was given (see wait-to-clock.ts).
 * `Seconds` (or what `SecondsPath` resolved to) must be a non-negative integer and `Timestamp` an RFC 3339
 * date; otherwise the Wait fails with `States.Runtime`, as in AWS. A timestamp in the past waits zero.
 */
export function virtualWaitDurationMs(parameters: JsonValue, now: Date): number {
  if (!isJsonObject(parameters)) throw new TaskFailure('States.Runtime', 'A virtual wait needs the Wait\'s Seconds or Timestamp');
  const { Seconds, Timestamp } = parameters;
  if (Seconds !== undefined) {
    if (typeof Seconds !== 'number' || !Number.isInteger(Seconds) || Seconds < 0) {
      throw new TaskFailure('States.Runtime', `Wait seconds must be a non-negative integer, got ${JSON.stringify(Seconds)}`);
    }
    return Seconds * 1000;
  }
  const until = typeof Timestamp === 'string' ? Date.parse(Timestamp) : Number.NaN;
  if (Number.isNaN(until)) throw new TaskFailure('States.Runtime', `Wait timestamp must be an RFC 3339 date, got ${JSON.stringify(Timestamp)}`);
  return Math.max(0, until - now.getTime());
}

/**
 * Waits on virtual time as the Wait would have. The result is discarded: the virtual-wait Task has
 * `ResultPath: null`, so its output is its input, as a Wait's is.
 */
export async function waitOnVirtualTimeline(parameters: JsonValue, timeline: VirtualTimeline, signal: AbortSignal): Promise<null> {
  await timeline.sleep(virtualWaitDurationMs(parameters, timeline.now()), signal);
  return null;
}
