import type { StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../../shared/time/clock.ts';
import type { AslState, JsonValue } from './asl.ts';

/** An event of aws-local-stepfunctions' execution event log (its type is not exported by name). */
export type InterpreterEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

export type HistoryEventType = InterpreterEvent['type'] | 'ExecutionTimedOut';

export interface HistoryEvent {
  readonly type: HistoryEventType;
  /** On the virtual clock. */
  readonly timestamp: Date;
  readonly stateName?: string;
  /** The state's type in the deployed definition (a Wait stays a Wait, though it ran as a virtual-wait Task). */
  readonly stateType?: AslState['Type'];
  /** The Map iteration this event belongs to. */
  readonly mapIteration?: number;
  /** For Map iteration and Parallel branch events: the Map or Parallel state. */
  readonly parentState?: string;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** For `StateRetried`: which retry this is (1 for the first). */
  readonly retryAttempt?: number;
}

/**
 * The execution history, on virtual time. The interpreter's events arrive asynchronously; they are stamped
 * when they arrive, which is the virtual instant they happened at because virtual time only moves when no
 * microtask is pending (see virtual-timeline.ts) and task handlers let the log catch up before they start.
 */
export class ExecutionHistory {
  readonly #clock: Pick<Clock, 'now'>;
  readonly #deployedStateTypes: ReadonlyMap<string, AslState['Type']>;
  readonly #events: HistoryEvent[] = [];

  constructor(clock: Pick<Clock, 'now'>, deployedStateTypes: ReadonlyMap<string, AslState['Type']>) {
    this.#clock = clock;
    this.#deployedStateTypes = deployedStateTypes;
  }

  get events(): readonly HistoryEvent[] {
    return this.#events;
  }

  /**
   * State transitions as AWS bills Standard workflows: "Step Functions counts a state transition each time a
   * step of your workflow is executed [...] including retries" and "each retry will be charged as an
   * additional state transition" (aws.amazon.com/step-functions/pricing). So: every state entered, at any
   * depth (each Map iteration and Parallel branch enters its own states), plus every retry.
   */
  get stateTransitions(): number {
    return this.#events.filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried').length;
  }

  recordInterpreterEvent(event: InterpreterEvent): void {
    this.#events.push(this.#fromInterpreter(event));
  }

  /** A failed attempt that a retrier will retry (the interpreter never sees it: the task layer retries). */
  recordRetriedFailure(stateName: string, error: string, cause: string): void {
    this.#record({ type: 'StateFailed', ...this.#state(stateName), error, cause });
  }

  recordRetry(stateName: string, retryAttempt: number): void {
    this.#record({ type: 'StateRetried', ...this.#state(stateName), retryAttempt });
  }

  recordExecutionTimedOut(): void {
    this.#record({ type: 'ExecutionTimedOut' });
  }

  #record(event: Omit<HistoryEvent, 'timestamp'>): void {
    this.#events.push({ ...event, timestamp: this.#clock.now() });
  }

  #state(name: string): Pick<HistoryEvent, 'stateName' | 'stateType'> {
    const stateType = this.#deployedStateTypes.get(name);
    return stateType === undefined ? { stateName: name } : { stateName: name, stateType };
  }

  #fromInterpreter(event: InterpreterEvent): HistoryEvent {
    const timestamp = this.#clock.now();
    switch (event.type) {
      case 'ExecutionStarted':
        return { type: event.type, timestamp, input: event.input };
      case 'ExecutionSucceeded':
        return { type: event.type, timestamp, output: event.output };
      case 'ExecutionFailed':
        return { type: event.type, timestamp, error: event.Error, cause: causeText(event.Cause) };
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
        return { type: event.type, timestamp };
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
        return { type: event.type, timestamp, parentState: event.parentState.name, mapIteration: event.index };
      case 'MapIterationFailed':
        return { type: event.type, timestamp, parentState: event.parentState.name, mapIteration: event.index, error: event.Error, cause: causeText(event.Cause) };
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
        return { type: event.type, timestamp, parentState: event.parentState.name };
      case 'ParallelBranchFailed':
        return { type: event.type, timestamp, parentState: event.parentState.name, error: event.Error, cause: causeText(event.Cause) };
      case 'StateEntered':
      case 'StateCaught':
        return { type: event.type, timestamp, ...this.#stateOf(event), input: event.state.input };
      case 'StateExited':
        return { type: event.type, timestamp, ...this.#stateOf(event), input: event.state.input, output: event.state.output };
      case 'StateFailed':
        return { type: event.type, timestamp, ...this.#stateOf(event), input: event.state.input, error: event.Error, cause: causeText(event.Cause) };
      case 'StateRetried':
        return { type: event.type, timestamp, ...this.#stateOf(event), input: event.state.input, retryAttempt: event.retry.attempt };
    }
  }

  #stateOf(event: { state: { name: string }; index?: number }): Pick<HistoryEvent, 'stateName' | 'stateType' | 'mapIteration'> {
    const state = this.#state(event.state.name);
    return event.index === undefined ? state : { ...state, mapIteration: event.index };
  }
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? '';
}
