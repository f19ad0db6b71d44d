import { isJsonObject, listStates, mapStates, type AslDefinition, type AslState, type TaskState } from './asl.ts';
import type { Retrier } from './retry-policy.ts';
import { taskIntegrationOf } from './task-integration.ts';
import { replaceWaitsWithClockTasks } from './wait-to-clock.ts';

/** A Task state of the deployed definition, with what the local task layer takes over from the interpreter. */
export interface TaskStateSpec {
  readonly name: string;
  readonly resource: string;
  /** The Lambda function it names when that is known before running (not for `FunctionName.$`). */
  readonly staticFunctionName?: string;
  readonly retriers: readonly Retrier[];
  readonly timeoutSeconds?: number;
  /** `TimeoutSecondsPath`: its value reaches the handler as {@link TIMEOUT_SECONDS_PARAMETER} of the effective input. */
  readonly timeoutSecondsPath?: string;
  readonly heartbeatSeconds?: number;
}

/**
 * The local definition moves a Task's `TimeoutSecondsPath` into its `Parameters` under this key, so the
 * interpreter resolves the path (against the effective input, as Parameters' paths are) and the task layer
 * reads the value and removes the key before the handler sees the input.
 */
export const TIMEOUT_SECONDS_PARAMETER = '__eksopsLocalTimeoutSeconds';

export interface LocalDefinition {
  /** What aws-local-stepfunctions executes (a fresh copy: its validator writes into the definition). */
  readonly executable: AslDefinition;
  readonly tasks: readonly TaskStateSpec[];
  /** Names of the Wait states, now virtual-wait Tasks. */
  readonly waits: readonly string[];
  /** Map and Parallel states with a `Retry`: the interpreter retries those itself. */
  readonly retriedMapsAndParallels: readonly string[];
  readonly deployedStateTypes: ReadonlyMap<string, AslState['Type']>;
  /** The execution's `TimeoutSeconds`, enforced on virtual time by the runner. */
  readonly timeoutSeconds?: number;
}

/**
 * aws-local-stepfunctions measures Task timeouts with a real `setTimeout` (60 s when `TimeoutSeconds` is
 * absent, where AWS has none) and sleeps real time between retries. The local definition hands it the
 * largest timeout a Node timer can hold (2^31-1 ms) and no `Retry`, `TimeoutSeconds` or `HeartbeatSeconds`
 * on Tasks: the task layer applies those on virtual time (task-state-handler.ts).
 */
const INTERPRETER_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export function prepareLocalDefinition(deployed: AslDefinition): LocalDefinition {
  const states = listStates(deployed);
  const tasks = states.flatMap(({ name, state }) => (state.Type === 'Task' ? [taskStateSpec(name, state)] : []));
  const deployedTasks = new Set(tasks.map((task) => task.name));
  const withVirtualWaits = replaceWaitsWithClockTasks(deployed);
  const { TimeoutSeconds, ...withoutExecutionTimeout } = mapStates(withVirtualWaits, (state, name) =>
    state.Type === 'Task' && deployedTasks.has(name) ? interpreterTask(state) : state,
  );
  return {
    executable: jsonCopy(withoutExecutionTimeout),
    tasks,
    waits: states.filter(({ state }) => state.Type === 'Wait').map(({ name }) => name),
    retriedMapsAndParallels: states.filter(({ state }) => (state.Type === 'Map' || state.Type === 'Parallel') && state.Retry).map(({ name }) => name),
    deployedStateTypes: new Map(states.map(({ name, state }) => [name, state.Type])),
    ...(TimeoutSeconds !== undefined && { timeoutSeconds: TimeoutSeconds }),
  };
}

/**
 * A deep copy made by this realm's JSON rather than `structuredClone`: the interpreter only resolves nested
 * `Parameters` objects whose prototype is its realm's `Object.prototype`, and under Jest's VM modules
 * `structuredClone` returns objects of the outer realm.
 */
function jsonCopy(definition: AslDefinition): AslDefinition {
  const copy: AslDefinition = JSON.parse(JSON.stringify(definition));
  return copy;
}

function taskStateSpec(name: string, task: TaskState): TaskStateSpec {
  if ('HeartbeatSecondsPath' in task) throw new Error(`Task state "${name}": HeartbeatSecondsPath is not supported locally`);
  const timeoutSecondsPath = 'TimeoutSecondsPath' in task && typeof task.TimeoutSecondsPath === 'string' ? task.TimeoutSecondsPath : undefined;
  if (timeoutSecondsPath !== undefined && !isJsonObject(task.Parameters)) {
    throw new Error(`Task state "${name}": TimeoutSecondsPath is supported locally on Tasks with Parameters only`);
  }
  const heartbeatSeconds = 'HeartbeatSeconds' in task && typeof task.HeartbeatSeconds === 'number' ? task.HeartbeatSeconds : undefined;
  const staticFunctionName = staticFunctionNameOf(task);
  return {
    name,
    resource: task.Resource,
    retriers: task.Retry ?? [],
    ...(staticFunctionName !== undefined && { staticFunctionName }),
    ...(task.TimeoutSeconds !== undefined && { timeoutSeconds: task.TimeoutSeconds }),
    ...(timeoutSecondsPath !== undefined && { timeoutSecondsPath }),
    ...(heartbeatSeconds !== undefined && { heartbeatSeconds }),
  };
}

function staticFunctionNameOf(task: TaskState): string | undefined {
  const integration = taskIntegrationOf(task.Resource);
  if (integration.kind === 'lambda-function') return task.Resource;
  if (integration.kind !== 'lambda-invoke' || !isJsonObject(task.Parameters)) return undefined;
  const functionName = task.Parameters.FunctionName;
  return typeof functionName === 'string' ? functionName : undefined;
}

function interpreterTask(task: TaskState): TaskState {
  const { Retry: _retry, ...withoutRetry } = task;
  const interpreted: TaskState = { ...withoutRetry, TimeoutSeconds: INTERPRETER_TASK_TIMEOUT_SECONDS };
  // HeartbeatSeconds and TimeoutSecondsPath go by name: the first is missing from the interpreter's types,
  // and the second would be measured on the wall clock.
  Reflect.deleteProperty(interpreted, 'HeartbeatSeconds');
  if ('TimeoutSecondsPath' in task && typeof task.TimeoutSecondsPath === 'string' && isJsonObject(task.Parameters)) {
    Reflect.deleteProperty(interpreted, 'TimeoutSecondsPath');
    interpreted.Parameters = { ...task.Parameters, [`${TIMEOUT_SECONDS_PARAMETER}.$`]: task.TimeoutSecondsPath };
  }
  return interpreted;
}
