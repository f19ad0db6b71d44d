import type { Clock } from '../../shared/time/clock.ts';

/**
 * Virtual time for the sandbox and tests. `sleep(ms)` moves the clock to `start + ms` at once (never
 * backwards), so parallel sleepers that started together wake at the same virtual instant and sequential
 * ones add up, as on a real clock, without any real waiting.
 */
export class VirtualClock implements Clock {
  #now: number;
  readonly #wakeListeners = new Set<() => void>();
  #holds = 0;

  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves time forward by hand (a test, a scenario): deadlines now due fire (see {@link onWake}). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot move virtual time backwards by ${ms} ms`);
    this.#now += ms;
    this.#wake();
  }

  advanceTo(when: Date): void {
    this.#now = Math.max(this.#now, when.getTime());
  }

  /**
   * Runs `work` (someone outside the state machines acting, e.g. a click reaching a function URL) as one
   * instant: while it runs, the local state machines do not jump time ahead (see {@link held}).
   */
  async instant<T>(work: () => Promise<T>): Promise<T> {
    this.#holds += 1;
    try {
      return await work();
    } finally {
      this.#holds -= 1;
      this.#wake();
    }
  }

  /** Whether something runs as an instant: discrete-event timelines must not move time now. */
  get held(): boolean {
    return this.#holds > 0;
  }

  /**
   * Called after each `advance` and when an instant ends: what keeps deadlines and wake-ups on this clock
   * (the Step Functions timeline) looks again, since nothing else may move time while a task waits for a
   * callback. Returns the unsubscribe function.
   */
  onWake(listener: () => void): () => void {
    this.#wakeListeners.add(listener);
    return () => this.#wakeListeners.delete(listener);
  }

  #wake(): void {
    for (const listener of this.#wakeListeners) listener();
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
