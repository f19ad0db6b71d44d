import type { JsonValue } from './asl.ts';
import type { HistoryEvent } from './execution-history.ts';

/** What one execution of a local state machine ended with; below the runner, so task handlers can name it. */
export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionResult {
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly history: readonly HistoryEvent[];
  readonly stateTransitions: number;
  /** Executions its tasks started and waited for (startExecution.sync), each with its own history. */
  readonly childExecutions: readonly ExecutionResult[];
}

/** State transitions of an execution and of every child execution it ran: what Standard workflows bill. */
export function totalStateTransitions(result: ExecutionResult): number {
  return result.stateTransitions + result.childExecutions.reduce((sum, child) => sum + totalStateTransitions(child), 0);
}
