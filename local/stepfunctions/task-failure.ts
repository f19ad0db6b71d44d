/**
 * A Task state's failure as Step Functions reports it: an error name (what `Retry`/`Catch` match with
 * `ErrorEquals`) and a cause. aws-local-stepfunctions reads the name from `error.name` and the cause from
 * `error.message` (it becomes `Cause` in a `Catch` result), so that is where they go.
 */
export class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/** The name a thrown value reports: a Lambda runtime reports the error's `name` as `errorType`. */
export function errorNameOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.name : 'Error';
}

export function errorMessageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/**
 * The `Cause` Step Functions records when a Lambda function throws: the runtime's error object as a JSON
 * string. The Node.js runtime also sends `trace` (the stack); it is left out here because local stack paths
 * only add noise to the histories people read.
 */
export function lambdaErrorCause(thrown: unknown): string {
  return JSON.stringify({ errorType: errorNameOf(thrown), errorMessage: errorMessageOf(thrown) });
}
