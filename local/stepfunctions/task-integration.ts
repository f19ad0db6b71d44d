import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from './asl.ts';
import { errorMessageOf, errorNameOf, lambdaErrorCause, TaskFailure } from './task-failure.ts';
import { isLambdaFunctionArn, lambdaFunctionNameOf, type TaskHandler, type TaskHandlerDirectory } from './task-handlers.ts';

/**
 * What a Task's `Resource` means locally: which handler runs, with what input, and what the state gets back.
 * Source: AWS Step Functions Developer Guide, "Invoke Lambda with Step Functions"
 * (docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 */
export type TaskIntegration =
  /** `Resource` is the function ARN: the function gets the state input, the state gets the function output. */
  | { readonly kind: 'lambda-function'; readonly waitForTaskToken: false }
  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: `Parameters.FunctionName` and `Parameters.Payload`. */
  | { readonly kind: 'lambda-invoke'; readonly waitForTaskToken: boolean }
  /** Any other service integration, handled by the handler registered for the exact resource string. */
  | { readonly kind: 'service'; readonly waitForTaskToken: boolean };

const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;

export function taskIntegrationOf(resource: string): TaskIntegration {
  if (isLambdaFunctionArn(resource)) return { kind: 'lambda-function', waitForTaskToken: false };
  const waitForTaskToken = resource.endsWith(WAIT_FOR_TASK_TOKEN);
  const base = waitForTaskToken ? resource.slice(0, -WAIT_FOR_TASK_TOKEN.length) : resource;
  return LAMBDA_INVOKE.test(base) ? { kind: 'lambda-invoke', waitForTaskToken } : { kind: 'service', waitForTaskToken };
}

export interface Invocation {
  readonly handler: TaskHandler;
  readonly payload: JsonValue;
  /** The state's result for the handler's (JSON) output. */
  readonly result: (output: JsonValue) => JsonValue;
  /** The task failure for what the handler threw. */
  readonly failure: (thrown: unknown) => TaskFailure;
}

/** How to invoke the task, given its effective input (after `InputPath` and `Parameters`). */
export function planInvocation(resource: string, input: JsonValue, handlers: TaskHandlerDirectory): Invocation {
  const integration = taskIntegrationOf(resource);
  if (integration.kind === 'service') {
    const handler = handlers.forResource(resource);
    if (!handler) throw new TaskFailure('States.Runtime', `No local handler for the resource ${resource}`);
    return { handler, payload: input, result: (output) => output, failure: (thrown) => new TaskFailure(errorNameOf(thrown), errorMessageOf(thrown)) };
  }
  const functionName = integration.kind === 'lambda-function' ? resource : functionNameParameter(input);
  const handler = handlers.forFunction(functionName);
  if (!handler) {
    throw new TaskFailure('Lambda.ResourceNotFoundException', `Function not found: ${lambdaFunctionNameOf(functionName)}`);
  }
  const failure = (thrown: unknown) => new TaskFailure(errorNameOf(thrown), lambdaErrorCause(thrown));
  if (integration.kind === 'lambda-function') return { handler, payload: input, result: (output) => output, failure };
  // Without `Payload`, the optimised integration invokes the function with an empty JSON object.
  const payload = isJsonObject(input) ? (input.Payload ?? {}) : {};
  return { handler, payload, result: lambdaInvokeResult, failure };
}

function functionNameParameter(input: JsonValue): string {
  const functionName = isJsonObject(input) ? input.FunctionName : undefined;
  if (typeof functionName !== 'string') throw new TaskFailure('States.Runtime', 'lambda:invoke needs a FunctionName string in Parameters');
  return functionName;
}

/** The Lambda Invoke API response the optimised integration returns, with the function output in `Payload`. */
function lambdaInvokeResult(payload: JsonValue): JsonObject {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
