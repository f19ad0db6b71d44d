import type { Clock } from '../time/clock.ts';

/**
 * A token bucket on the injected clock. EC2 throttles mutating calls per account and Region with its own
 * token buckets (about 10 requests per second refill for CreateTags/DeleteTags: EC2 API Reference,
 * "Request throttling"); a reconcile that bursts past them is throttled and slows every other tool writing
 * tags in that account. Pacing ourselves below the limit keeps retries rare and leaves room for others.
 */
export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #capacity: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: { ratePerSecond: number; burst?: number; clock: Clock }) {
    this.#ratePerSecond = options.ratePerSecond;
    this.#capacity = options.burst ?? options.ratePerSecond;
    this.#clock = options.clock;
    this.#tokens = this.#capacity;
    this.#updatedAt = options.clock.now().getTime();
  }

  /** Resolves when a token is available; callers are served in order. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#takeOne());
    this.#queue = turn.catch(() => {});
    return turn;
  }

  async #takeOne(): Promise<void> {
    this.#refill();
    if (this.#tokens < 1) {
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#ratePerSecond) * 1000);
      await this.#clock.sleep(waitMs);
      this.#refill();
    }
    this.#tokens -= 1;
  }

  #refill(): void {
    const now = this.#clock.now().getTime();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#ratePerSecond);
    this.#updatedAt = now;
  }
}
