import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext, MetadataBearer, Pluggable } from '@smithy/types';
import type { SandboxAccount } from './account.ts';

let requestCounter = 0;

/**
 * Plugs the in-memory account into a real SDK v3 client. The middleware sits at step `deserialize` with
 * priority `high`: inside the SDK's retry layer, after serialization and signing, and it never calls
 * `next`, so nothing leaves the process. Paginators and waiters work unchanged, and an injected
 * ThrottlingException is retried by the SDK's real retry strategy, as it would be against AWS.
 */
export function sandboxPlugin(account: SandboxAccount, target: { region: string; accountId: string }): Pluggable<object, MetadataBearer> {
  const accountId = target.accountId === 'self' ? account.accountId : target.accountId;
  return {
    applyToStack(stack) {
      stack.add(
        (_next: DeserializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
          async (args: DeserializeHandlerArguments<object>) => {
            const output = (await account.handle({
              clientName: context.clientName ?? 'UnknownClient',
              commandName: context.commandName ?? 'UnknownCommand',
              input: args.input,
              accountId,
              region: target.region,
            })) as object | undefined;
            requestCounter += 1;
            return {
              output: { ...output, $metadata: { httpStatusCode: 200, requestId: `sandbox-${requestCounter}` } },
              response: { statusCode: 200, headers: {} },
            };
          },
        { step: 'deserialize', priority: 'high', name: 'eksopsSandboxAccount' },
      );
    },
  };
}
