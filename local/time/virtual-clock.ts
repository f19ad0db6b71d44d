import type { Clock } from '../../shared/time/clock.ts';

/**
 * Virtual time for the sandbox and tests. `sleep(ms)` moves the clock to `start + ms` at once (never
 * backwards), so parallel sleepers that started together wake at the same virtual instant and sequential
 * ones add up, as on a real clock, without any real waiting.
 */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot move virtual time backwards by ${ms} ms`);
    this.#now += ms;
  }

  advanceTo(when: Date): void {
    this.#now = Math.max(this.#now, when.getTime());
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    const wakeAt = this.#now + Math.max(0, ms);
    // Yield once so that callers that sleep in a loop still interleave with other work.
    await Promise.resolve();
    if (signal?.aborted) throw signal.reason;
    this.#now = Math.max(this.#now, wakeAt);
  }
}
