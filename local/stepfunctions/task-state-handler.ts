import { isJsonObject, toJsonValue, type JsonValue } from './asl.ts';
import type { ExecutionHistory } from './execution-history.ts';
import type { ExecutionResult } from './execution-result.ts';
import { TIMEOUT_SECONDS_PARAMETER, type TaskStateSpec } from './local-definition.ts';
import { decideRetry } from './retry-policy.ts';
import { TaskFailure } from './task-failure.ts';
import type { TaskContext, TaskHandlerDirectory } from './task-handlers.ts';
import { planInvocation, taskIntegrationOf } from './task-integration.ts';
import type { TaskTokenRegistry } from './task-tokens.ts';
import type { VirtualTimeline } from './virtual-timeline.ts';

/** What the Task states of one execution share. */
export interface ExecutionRuntime {
  readonly executionName: string;
  readonly signal: AbortSignal;
  readonly timeline: VirtualTimeline;
  readonly tokens: TaskTokenRegistry;
  readonly handlers: TaskHandlerDirectory;
  readonly history: ExecutionHistory;
  /** The source of `JitterStrategy: FULL` pauses, in [0, 1). */
  readonly random: () => number;
  /** Child executions its tasks ran (startExecution.sync). */
  readonly recordChildExecution: (child: ExecutionResult) => void;
}

/**
 * The local handler aws-local-stepfunctions calls for one Task state: it runs the registered handler and owns
 * what the interpreter would otherwise do on the wall clock. `Retry` is applied here, pausing on virtual
 * time, and each retry is recorded in the history (the interpreter would sleep for real). `TimeoutSeconds`
 * and `HeartbeatSeconds` are deadlines on virtual time. `.waitForTaskToken` tasks wait for their callback.
 * The error that finally escapes keeps its name, so the interpreter's `Catch` matches it.
 */
export function createTaskStateHandler(spec: TaskStateSpec, runtime: ExecutionRuntime): (input: JsonValue) => Promise<JsonValue> {
  const { waitForTaskToken } = taskIntegrationOf(spec.resource);

  async function attempt(stateInput: JsonValue, token: string | undefined, retryCount: number): Promise<JsonValue> {
    const { input, timeoutSeconds } = effectiveTimeout(spec, stateInput);
    const timeoutAt = timeoutSeconds === undefined ? undefined : new Date(runtime.timeline.now().getTime() + timeoutSeconds * 1000);
    const invocation = planInvocation(spec.resource, input, runtime.handlers);
    const context: TaskContext = {
      stateName: spec.name,
      executionName: runtime.executionName,
      resource: spec.resource,
      retryCount,
      signal: runtime.signal,
      recordChildExecution: runtime.recordChildExecution,
      ...(token !== undefined && { taskToken: token }),
    };
    const invoke = () =>
      runtime.timeline.instant(async () => {
        await letTheEventLogCatchUp();
        try {
          return toJsonValue(await invocation.handler(invocation.payload, context));
        } catch (thrown) {
          throw runtime.signal.aborted ? thrown : invocation.failure(thrown);
        }
      });

    if (waitForTaskToken && token !== undefined) {
      // Listening before the handler runs: a handler may answer its own token before it returns.
      const handlerFailed = new AbortController();
      const limits = { ...(timeoutAt && { timeoutAt }), ...(spec.heartbeatSeconds !== undefined && { heartbeatSeconds: spec.heartbeatSeconds }) };
      const callback = runtime.tokens.waitForCallback(token, limits, AbortSignal.any([runtime.signal, handlerFailed.signal]));
      callback.catch(() => undefined); // observed below; this only keeps an early rejection from counting as unhandled
      try {
        await invoke();
      } catch (thrown) {
        handlerFailed.abort();
        throw thrown;
      }
      return callback;
    }

    const output = await invoke();
    if (timeoutAt && runtime.timeline.now() > timeoutAt) throw new TaskFailure('States.Timeout', 'The task did not complete within its TimeoutSeconds');
    return invocation.result(output);
  }

  return async (input) => {
    // Before any await: the token the interpreter minted while it evaluated this state's Parameters.
    let token = runtime.tokens.takeTokenMintedForParameters();
    if (waitForTaskToken) token ??= runtime.tokens.issue();
    const retriesByRetrier = spec.retriers.map(() => 0);
    let attemptInput = input;
    for (let retryCount = 0; ; retryCount += 1) {
      try {
        return await attempt(attemptInput, token, retryCount);
      } catch (thrown) {
        if (runtime.signal.aborted || !(thrown instanceof TaskFailure)) throw thrown;
        const retry = decideRetry(spec.retriers, thrown.name, retriesByRetrier, runtime.random);
        if (!retry) throw thrown;
        retriesByRetrier[retry.retrierIndex] = (retriesByRetrier[retry.retrierIndex] ?? 0) + 1;
        runtime.history.recordRetriedFailure(spec.name, thrown.name, thrown.message);
        await runtime.timeline.sleep(retry.delayMs, runtime.signal);
        runtime.history.recordRetry(spec.name, retryCount + 1);
        if (token !== undefined) {
          // Step Functions issues a new token for each attempt (Parameters are evaluated again).
          const freshToken = runtime.tokens.issue();
          attemptInput = replaceToken(attemptInput, token, freshToken);
          token = freshToken;
        }
      }
    }
  };
}

/**
 * The Task's timeout: `TimeoutSeconds`, or the value `TimeoutSecondsPath` selected, which the local definition
 * placed in the effective input (local-definition.ts) and which is removed from it here. Like Step Functions,
 * a path that does not select a positive integer fails the state with `States.Runtime`.
 */
function effectiveTimeout(spec: TaskStateSpec, input: JsonValue): { input: JsonValue; timeoutSeconds: number | undefined } {
  if (spec.timeoutSecondsPath === undefined || !isJsonObject(input)) return { input, timeoutSeconds: spec.timeoutSeconds };
  const { [TIMEOUT_SECONDS_PARAMETER]: selected, ...rest } = input;
  if (typeof selected !== 'number' || !Number.isInteger(selected) || selected <= 0) {
    throw new TaskFailure('States.Runtime', `TimeoutSecondsPath ${spec.timeoutSecondsPath} must select a positive integer; it selected ${JSON.stringify(selected) ?? 'nothing'}`);
  }
  return { input: rest, timeoutSeconds: selected };
}

/** One macrotask turn: the interpreter's event log is consumed in microtasks, so it has caught up by then. */
function letTheEventLogCatchUp(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function replaceToken(value: JsonValue, token: string, freshToken: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(token, freshToken);
  if (Array.isArray(value)) return value.map((item) => replaceToken(item, token, freshToken));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceToken(item, token, freshToken)]));
  }
  return value;
}
