import type { Context } from 'aws-lambda';
import type { Clock } from '../../shared/time/clock.ts';
import type { CloudFormationTemplate } from '../template/compiled-template.ts';
import { lambdaContext } from './context.ts';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface Invocation {
  functionName: string;
  event: unknown;
  attempt: number;
  result?: unknown;
  error?: { name: string; message: string };
}

export interface FailedAsyncEvent {
  functionName: string;
  /** Logical id of the on-failure destination in the template, e.g. FailureQueue. */
  destination: string;
  requestPayload: unknown;
  error: { name: string; message: string };
  attempts: number;
}

/** serverless.yml function name → CloudFormation logical id, as the Serverless Framework names them. */
export function lambdaLogicalId(functionName: string): string {
  const normalized = functionName.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/**
 * The Lambda service of the sandbox: runs the real handlers with a local context, and gives asynchronous
 * invocations (EventBridge, CloudWatch Logs) AWS's semantics from the compiled template: up to
 * MaximumRetryAttempts retries (default 2), then the event goes to the on-failure destination.
 */
export class LocalLambdaRuntime {
  readonly invocations: Invocation[] = [];
  readonly failedAsync: FailedAsyncEvent[] = [];
  readonly #handlers = new Map<string, LambdaHandler>();
  readonly #template: CloudFormationTemplate;
  readonly #clock: Clock;
  readonly #target: { region: string; accountId: string };
  readonly #listeners: ((invocation: Invocation) => void)[] = [];

  constructor(options: { template: CloudFormationTemplate; clock: Clock; region: string; accountId: string }) {
    this.#template = options.template;
    this.#clock = options.clock;
    this.#target = { region: options.region, accountId: options.accountId };
  }

  register(functionName: string, handler: LambdaHandler): void {
    if (!this.#template.Resources[lambdaLogicalId(functionName)]) {
      throw new Error(`function ${functionName} is not in the compiled template (no ${lambdaLogicalId(functionName)})`);
    }
    this.#handlers.set(functionName, handler);
  }

  onInvocation(listener: (invocation: Invocation) => void): void {
    this.#listeners.push(listener);
  }

  /** The serverless.yml name of the function a template logical id stands for, if registered. */
  functionForLogicalId(logicalId: string): string | undefined {
    return [...this.#handlers.keys()].find((name) => lambdaLogicalId(name) === logicalId);
  }

  /** A synchronous invocation: the result or the error goes back to the caller. */
  async invoke(functionName: string, event: unknown, attempt = 1): Promise<unknown> {
    const handler = this.#handlers.get(functionName);
    if (!handler) throw new Error(`function ${functionName} is not registered in the sandbox`);
    const properties = this.#template.Resources[lambdaLogicalId(functionName)]?.Properties ?? {};
    const context = lambdaContext({
      functionName: typeof properties.FunctionName === 'string' ? properties.FunctionName : functionName,
      timeoutSeconds: typeof properties.Timeout === 'number' ? properties.Timeout : 6,
      clock: this.#clock,
      ...this.#target,
    });
    const invocation: Invocation = { functionName, event, attempt };
    try {
      invocation.result = await handler(structuredClone(event), context);
      return invocation.result;
    } catch (error) {
      invocation.error = { name: (error as Error).name, message: (error as Error).message };
      throw error;
    } finally {
      this.invocations.push(invocation);
      for (const listener of this.#listeners) listener(invocation);
    }
  }

  /** An asynchronous invocation, with Lambda's retries and on-failure destination. Never throws. */
  async invokeAsync(functionName: string, event: unknown): Promise<{ delivered: boolean; attempts: number }> {
    const config = this.#eventInvokeConfig(functionName);
    const attempts = 1 + config.maximumRetryAttempts;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await this.invoke(functionName, event, attempt);
        return { delivered: true, attempts: attempt };
      } catch (error) {
        lastError = error as Error;
        // Lambda waits about a minute, then two, between asynchronous retries.
        if (attempt < attempts) await this.#clock.sleep(attempt * 60_000);
      }
    }
    this.failedAsync.push({
      functionName,
      destination: config.onFailure ?? '(none: the event is dropped)',
      requestPayload: event,
      error: { name: lastError?.name ?? 'Error', message: lastError?.message ?? '' },
      attempts,
    });
    return { delivered: false, attempts };
  }

  #eventInvokeConfig(functionName: string): { maximumRetryAttempts: number; onFailure: string | undefined } {
    const logicalId = lambdaLogicalId(functionName);
    const config = Object.values(this.#template.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::EventInvokeConfig' && JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify({ Ref: logicalId }),
    );
    const properties = (config?.Properties ?? {}) as { MaximumRetryAttempts?: number; DestinationConfig?: { OnFailure?: { Destination?: unknown } } };
    const destination = properties.DestinationConfig?.OnFailure?.Destination;
    return {
      maximumRetryAttempts: properties.MaximumRetryAttempts ?? 2,
      onFailure: logicalIdOf(destination),
    };
  }
}

/** `{ "Fn::GetAtt": ["FailureQueue", "Arn"] }` → `FailureQueue`. */
export function logicalIdOf(reference: unknown): string | undefined {
  if (typeof reference !== 'object' || reference === null) return undefined;
  const getAtt = (reference as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  const ref = (reference as { Ref?: unknown }).Ref;
  return typeof ref === 'string' ? ref : undefined;
}
