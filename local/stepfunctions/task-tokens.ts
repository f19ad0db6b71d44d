import { randomUUID } from 'node:crypto';
import { TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { toJsonValue, type JsonValue } from './asl.ts';
import { TaskFailure } from './task-failure.ts';
import type { VirtualTimeline } from './virtual-timeline.ts';

export interface CallbackLimits {
  /** `TimeoutSeconds`: the task fails with `States.Timeout` at this virtual instant, heartbeats or not. */
  readonly timeoutAt?: Date;
  /** `HeartbeatSeconds`: the task fails with `States.HeartbeatTimeout` when this long passes without one. */
  readonly heartbeatSeconds?: number;
}

interface OpenCallback {
  succeed(output: JsonValue): void;
  fail(failure: TaskFailure): void;
  heartbeat(): void;
  /** The failure the task has already earned at `now` by missing a deadline, if any. */
  missedDeadline(now: Date): TaskFailure | undefined;
}

/**
 * The callback pattern (`.waitForTaskToken`), which aws-local-stepfunctions does not implement: its Context
 * Object has no `Task.Token`, and a Task ends when its handler returns. Here the Context Object's `Task` is
 * {@link contextObjectTask}, whose `Token` getter mints a token while the interpreter evaluates the Task's
 * `Parameters`; the interpreter calls the local handler synchronously right after, so the handler takes that
 * token ({@link takeTokenMintedForParameters}) before any other state can evaluate `$$.Task.Token`. The handler
 * then waits on {@link waitForCallback} until `sendTaskSuccess` / `sendTaskFailure` or a deadline on virtual time.
 *
 * Errors for callers are the SFN client's own classes: `TaskDoesNotExist` for a token never issued, and
 * `TaskTimedOut` for "the task token has either expired or the task associated with the token has already
 * been closed" (SendTaskSuccess API reference).
 */
export class TaskTokenRegistry {
  readonly #timeline: VirtualTimeline;
  readonly #open = new Map<string, OpenCallback>();
  readonly #closed = new Set<string>();
  #mintedForParameters: string | undefined;
  readonly contextObjectTask: { readonly Token: string };

  constructor(timeline: VirtualTimeline) {
    this.#timeline = timeline;
    const tokenForParameters = () => (this.#mintedForParameters ??= this.issue());
    this.contextObjectTask = {
      get Token(): string {
        return tokenForParameters();
      },
    };
  }

  issue(): string {
    return randomUUID();
  }

  takeTokenMintedForParameters(): string | undefined {
    const token = this.#mintedForParameters;
    this.#mintedForParameters = undefined;
    return token;
  }

  waitForCallback(token: string, limits: CallbackLimits, signal: AbortSignal): Promise<JsonValue> {
    return new Promise<JsonValue>((resolve, reject) => {
      const deadlines = new AbortController();
      let heartbeatDeadline = new AbortController();
      let heartbeatAt: Date | undefined;
      const close = () => {
        this.#open.delete(token);
        this.#closed.add(token);
        deadlines.abort();
        heartbeatDeadline.abort();
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        close();
        reject(signal.reason);
      };
      const fail = (failure: TaskFailure) => {
        close();
        reject(failure);
      };
      // A deadline's promise rejects when its controller aborts: that is the callback closing first, not an error.
      const ignoreCancellation = () => undefined;
      const armHeartbeat = () => {
        if (limits.heartbeatSeconds === undefined) return;
        heartbeatDeadline.abort();
        heartbeatDeadline = new AbortController();
        heartbeatAt = new Date(this.#timeline.now().getTime() + limits.heartbeatSeconds * 1000);
        this.#timeline.deadline(heartbeatAt, heartbeatDeadline.signal).then(() => fail(heartbeatTimeout()), ignoreCancellation);
      };

      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (limits.timeoutAt) this.#timeline.deadline(limits.timeoutAt, deadlines.signal).then(() => fail(timeout()), ignoreCancellation);
      armHeartbeat();
      this.#open.set(token, {
        succeed: (output) => {
          close();
          resolve(output);
        },
        fail,
        heartbeat: armHeartbeat,
        missedDeadline: (now) => {
          if (limits.timeoutAt && now >= limits.timeoutAt) return timeout();
          if (heartbeatAt && now >= heartbeatAt) return heartbeatTimeout();
          return undefined;
        },
      });
    });
  }

  sendTaskSuccess(token: string, output: unknown): void {
    this.#openCallback(token).succeed(toJsonValue(output));
  }

  sendTaskFailure(token: string, error: string, cause = ''): void {
    this.#openCallback(token).fail(new TaskFailure(error, cause));
  }

  sendTaskHeartbeat(token: string): void {
    this.#openCallback(token).heartbeat();
  }

  #openCallback(token: string): OpenCallback {
    const callback = this.#open.get(token);
    if (!callback) {
      if (this.#closed.has(token)) throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
      throw new TaskDoesNotExist({ message: 'Task does not exist anymore', $metadata: {} });
    }
    // Virtual time may have been moved past a deadline by a direct clock.advance(): the token expired then.
    const missed = callback.missedDeadline(this.#timeline.now());
    if (missed) {
      callback.fail(missed);
      throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
    }
    return callback;
  }
}

function timeout(): TaskFailure {
  return new TaskFailure('States.Timeout', 'The task did not complete within its TimeoutSeconds');
}

function heartbeatTimeout(): TaskFailure {
  return new TaskFailure('States.HeartbeatTimeout', 'The task sent no heartbeat within its HeartbeatSeconds');
}
