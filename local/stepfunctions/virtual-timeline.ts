import type { VirtualClock } from '../time/virtual-clock.ts';

interface Timer {
  readonly at: number;
  /** Sleeps carry virtual time forward; deadlines only fire when something else carries time past them. */
  readonly movesTime: boolean;
  readonly fire: () => void;
}

/**
 * Discrete-event time for local executions. Waits and retry pauses register a wake-up time; once nothing is
 * running (no task handler in flight and no pending microtask, which is what a `setImmediate` callback
 * sees), the clock jumps to the earliest wake-up and wakes every timer due by then. So parallel branches
 * and Map iterations interleave as they would on a wall clock (a 60 s wait wakes before a 600 s one started at
 * the same instant), yet no real time passes.
 *
 * Deadlines (task and execution timeouts) never move time by themselves: a task waiting for a callback
 * token, with nothing else scheduled, waits for the callback instead of timing out at once, until another
 * branch or a hand on the clock (`VirtualClock.advance`) carries time past it.
 */
export class VirtualTimeline {
  readonly #clock: VirtualClock;
  readonly #timers = new Set<Timer>();
  #handlersInFlight = 0;
  #pumpScheduled = false;

  constructor(clock: VirtualClock) {
    this.#clock = clock;
    // A test or scenario moving the clock by hand past a deadline (nobody answered a callback): it fires.
    // And an outside instant (VirtualClock.instant) that ended: the jumps it held back may happen now.
    clock.onWake(() => this.#schedulePump());
  }

  now(): Date {
    return this.#clock.now();
  }

  /** Resolves once virtual time has moved `ms` forward; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.#schedule(this.#clock.now().getTime() + Math.max(0, ms), true, signal);
  }

  /** Resolves when virtual time reaches `at`, without ever moving time forward itself. */
  deadline(at: Date, signal: AbortSignal): Promise<void> {
    return this.#schedule(at.getTime(), false, signal);
  }

  /** Runs `work` (a task handler) as an instant of virtual time: the clock does not jump while it runs. */
  async instant<T>(work: () => Promise<T>): Promise<T> {
    this.#handlersInFlight += 1;
    try {
      return await work();
    } finally {
      this.#handlersInFlight -= 1;
      this.#schedulePump();
    }
  }

  #schedule(at: number, movesTime: boolean, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#timers.delete(timer);
        reject(signal.reason);
      };
      const timer: Timer = {
        at,
        movesTime,
        fire: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#timers.add(timer);
      this.#schedulePump();
    });
  }

  #schedulePump(): void {
    if (this.#pumpScheduled || this.#timers.size === 0) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    const timers = [...this.#timers];
    if (this.#handlersInFlight === 0 && !this.#clock.held && timers.some((timer) => timer.movesTime)) {
      this.#clock.advanceTo(new Date(Math.min(...timers.map((timer) => timer.at))));
    }
    const now = this.#clock.now().getTime();
    const due = timers.filter((timer) => timer.at <= now);
    for (const timer of due) {
      this.#timers.delete(timer);
      timer.fire();
    }
    if (this.#handlersInFlight === 0 && !this.#clock.held && [...this.#timers].some((timer) => timer.movesTime)) this.#schedulePump();
  }
}
