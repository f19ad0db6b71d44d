import type { JsonValue } from './asl.ts';
import type { ExecutionResult } from './execution-result.ts';

/** What a local task handler knows about the invocation, besides its input. */
export interface TaskContext {
  readonly stateName: string;
  readonly executionName: string;
  /** The Task's `Resource`, e.g. a Lambda ARN or `arn:aws:states:::lambda:invoke`. */
  readonly resource: string;
  /** For `.waitForTaskToken` tasks: the token to hand to `sendTaskSuccess` / `sendTaskFailure`. */
  readonly taskToken?: string;
  /** How many times Step Functions already retried this state entry (0 on the first attempt). */
  readonly retryCount: number;
  /** Aborts when the execution stops (aborted, timed out, or failed elsewhere). */
  readonly signal: AbortSignal;
  /** A task that ran a child execution (startExecution.sync) reports it here: it joins the parent's result. */
  readonly recordChildExecution?: (child: ExecutionResult) => void;
}

/**
 * Stands for a Lambda function or a service integration. Its result is serialised to JSON, as Lambda does;
 * what it throws fails the task with the thrown error's `name` as the Step Functions error name.
 */
export type TaskHandler = (input: JsonValue, context: TaskContext) => Promise<unknown>;

/**
 * Handlers by what a Task names. Lambda functions are keyed by ARN (`arn:aws:lambda:…:function:name`) or
 * by name; any other resource (e.g. `arn:aws:states:::aws-sdk:eks:describeCluster`) by its exact string.
 */
export type TaskHandlers = Readonly<Record<string, TaskHandler>>;

const LAMBDA_FUNCTION_REFERENCE = /(?:^|:)function:([^:]+)/;

/**
 * The function name in any way Lambda accepts a `FunctionName`: name, `name:alias`, partial ARN
 * (`123456789012:function:name`) or full ARN, with or without a version or alias qualifier.
 */
export function lambdaFunctionNameOf(reference: string): string {
  const inArn = LAMBDA_FUNCTION_REFERENCE.exec(reference)?.[1];
  return inArn ?? reference.split(':')[0] ?? reference;
}

export function isLambdaFunctionArn(resource: string): boolean {
  return /^arn:aws[a-z-]*:lambda:/.test(resource) && LAMBDA_FUNCTION_REFERENCE.test(resource);
}

export class TaskHandlerDirectory {
  readonly #byFunctionName = new Map<string, TaskHandler>();
  readonly #byResource = new Map<string, TaskHandler>();

  constructor(handlers: TaskHandlers) {
    for (const [key, handler] of Object.entries(handlers)) {
      if (isLambdaFunctionArn(key) || !key.startsWith('arn:')) this.#byFunctionName.set(lambdaFunctionNameOf(key), handler);
      else this.#byResource.set(key, handler);
    }
  }

  forFunction(functionReference: string): TaskHandler | undefined {
    return this.#byFunctionName.get(lambdaFunctionNameOf(functionReference));
  }

  forResource(resource: string): TaskHandler | undefined {
    return this.#byResource.get(resource);
  }
}
