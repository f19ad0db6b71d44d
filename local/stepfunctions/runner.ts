import { ExecutionAbortedError, ExecutionError, StateMachine, type RunOptions as InterpreterRunOptions } from 'aws-local-stepfunctions';
import type { VirtualClock } from '../time/virtual-clock.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './asl.ts';
import { ExecutionHistory } from './execution-history.ts';
import type { ExecutionResult } from './execution-result.ts';
import { prepareLocalDefinition, type TaskStateSpec } from './local-definition.ts';
import { errorMessageOf, errorNameOf } from './task-failure.ts';
import { TaskHandlerDirectory, type TaskHandlers } from './task-handlers.ts';
import { taskIntegrationOf } from './task-integration.ts';
import { createTaskStateHandler, type ExecutionRuntime } from './task-state-handler.ts';
import { TaskTokenRegistry } from './task-tokens.ts';
import { assertValidDefinition } from './validate.ts';
import { VirtualTimeline } from './virtual-timeline.ts';
import { waitOnVirtualTimeline } from './virtual-wait.ts';

export type { HistoryEvent } from './execution-history.ts';
export { type ExecutionResult, type ExecutionStatus, totalStateTransitions } from './execution-result.ts';
export type { TaskContext, TaskHandler, TaskHandlers } from './task-handlers.ts';

export interface StateMachineRunnerOptions {
  /** The ASL definition as deployed (parsed JSON or YAML). It is validated with asl-validator first. */
  readonly definition: unknown;
  readonly clock: VirtualClock;
  /** Handlers for every Task resource the definition names (see {@link TaskHandlers}). */
  readonly tasks: TaskHandlers;
  /** Merged into the Context Object (`$$`), e.g. `{ StateMachine: { Id, Name } }`. */
  readonly contextObject?: JsonObject;
  /** Source of `JitterStrategy: FULL` retry pauses, in [0, 1); `Math.random` by default. */
  readonly random?: () => number;
}

export interface RunOptions {
  /** The execution name (`$$.Execution.Name`); `execution-<n>` by default. */
  readonly name?: string;
  /** Stops the execution (status `ABORTED`), as StopExecution does. */
  readonly signal?: AbortSignal;
}

export interface StateMachineRunner {
  run(input: JsonValue, options?: RunOptions): Promise<ExecutionResult>;
  /** Completes the `.waitForTaskToken` task holding `taskToken`; throws `TaskDoesNotExist` / `TaskTimedOut` as SFN does. */
  sendTaskSuccess(taskToken: string, output: unknown): void;
  sendTaskFailure(taskToken: string, error: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
}

/**
 * Runs a deployable state machine definition with aws-local-stepfunctions, on virtual time: Waits, retry
 * pauses and timeouts pass on `clock` (see virtual-timeline.ts), so hours of polling take milliseconds.
 */
export function createStateMachineRunner(options: StateMachineRunnerOptions): StateMachineRunner {
  const { definition, clock, contextObject = {}, random = Math.random } = options;
  assertValidDefinition(definition);
  const local = prepareLocalDefinition(definition);
  const handlers = new TaskHandlerDirectory(options.tasks);
  assertEveryTaskHasAHandler(local.tasks, handlers);
  // The deployed definition was just validated, and asl-validator takes 100-300 ms a call (it compiles its
  // JSON schemas each time): the local copy, derived from it by tested transforms, is not validated again.
  const interpreter = new StateMachine(local.executable, { validationOptions: { noValidate: true } });
  const timeline = new VirtualTimeline(clock);
  const tokens = new TaskTokenRegistry(timeline);
  let executionCount = 0;

  async function run(input: JsonValue, runOptions: RunOptions = {}): Promise<ExecutionResult> {
    executionCount += 1;
    const name = runOptions.name ?? `execution-${executionCount}`;
    const ended = new AbortController();
    const history = new ExecutionHistory(clock, local.deployedStateTypes);
    const childExecutions: ExecutionResult[] = [];
    const runtime: ExecutionRuntime = { executionName: name, signal: ended.signal, timeline, tokens, handlers, history, random, recordChildExecution: (child) => childExecutions.push(child) };
    const startDate = clock.now();
    const execution = interpreter.run(input, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries([
          ...local.tasks.map((task) => [task.name, createTaskStateHandler(task, runtime)] as const),
          ...local.waits.map((wait) => [wait, (parameters: JsonValue) => waitOnVirtualTimeline(parameters, timeline, ended.signal)] as const),
        ]),
        // Retries of Map and Parallel states stay with the interpreter; this keeps it from sleeping real time.
        retryIntervalOverrides: Object.fromEntries(local.retriedMapsAndParallels.map((state) => [state, 0])),
      },
      context: contextObjectFor(name),
    });

    let stoppedAs: 'ABORTED' | 'TIMED_OUT' | undefined;
    const stop = (status: 'ABORTED' | 'TIMED_OUT') => {
      stoppedAs ??= status;
      execution.abort();
    };
    const historyRecorded = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'ExecutionAborted' && stoppedAs === 'TIMED_OUT') history.recordExecutionTimedOut();
        else history.recordInterpreterEvent(event);
      }
    })();
    if (runOptions.signal?.aborted) stop('ABORTED');
    runOptions.signal?.addEventListener('abort', () => stop('ABORTED'), { once: true, signal: ended.signal });
    if (local.timeoutSeconds !== undefined) {
      const timeoutAt = new Date(startDate.getTime() + local.timeoutSeconds * 1000);
      // The deadline's promise rejects when the execution ends first: nothing to do then.
      timeline.deadline(timeoutAt, ended.signal).then(() => stop('TIMED_OUT'), () => undefined);
    }

    const outcome = await execution.result.then(
      (output) => ({ status: 'SUCCEEDED' as const, output }),
      (thrown: unknown) => failureOutcome(thrown, stoppedAs),
    );
    // Releases what the execution still holds: its deadlines, and waits of Map iterations it abandoned.
    ended.abort(new Error(`execution ${name} has ended`));
    await historyRecorded;
    return { name, ...outcome, startDate, stopDate: clock.now(), history: history.events, stateTransitions: history.stateTransitions, childExecutions };
  }

  function contextObjectFor(executionName: string): NonNullable<InterpreterRunOptions['context']> {
    const stateMachineId = isJsonObject(contextObject.StateMachine) ? contextObject.StateMachine.Id : undefined;
    const executionId = typeof stateMachineId === 'string' ? `${stateMachineId.replace(':stateMachine:', ':execution:')}:${executionName}` : undefined;
    return {
      ...contextObject,
      Execution: { ...(isJsonObject(contextObject.Execution) && contextObject.Execution), Name: executionName, ...(executionId && { Id: executionId }) },
      Task: tokens.contextObjectTask,
    };
  }

  return {
    run,
    sendTaskSuccess: (taskToken, output) => tokens.sendTaskSuccess(taskToken, output),
    sendTaskFailure: (taskToken, error, cause) => tokens.sendTaskFailure(taskToken, error, cause),
    sendTaskHeartbeat: (taskToken) => tokens.sendTaskHeartbeat(taskToken),
  };
}

function failureOutcome(thrown: unknown, stoppedAs: 'ABORTED' | 'TIMED_OUT' | undefined): Pick<ExecutionResult, 'status' | 'error' | 'cause'> {
  if (thrown instanceof ExecutionAbortedError) return { status: stoppedAs ?? 'ABORTED' };
  if (thrown instanceof ExecutionError) return { status: 'FAILED', error: errorNameOf(thrown.cause), cause: errorMessageOf(thrown.cause) };
  throw thrown;
}

/** A Task without a handler would only fail when reached; say so before anything runs. */
function assertEveryTaskHasAHandler(tasks: readonly TaskStateSpec[], handlers: TaskHandlerDirectory): void {
  const missing = tasks.filter((task) => {
    if (taskIntegrationOf(task.resource).kind === 'service') return !handlers.forResource(task.resource);
    return task.staticFunctionName !== undefined && !handlers.forFunction(task.staticFunctionName);
  });
  if (missing.length > 0) {
    const list = missing.map((task) => `${task.name} (${task.staticFunctionName ?? task.resource})`).join(', ');
    throw new Error(`No local task handler for: ${list}`);
  }
}
