import { HttpRequest } from '@smithy/core/protocols';
import type { BuildHandler, BuildHandlerArguments, DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext, MetadataBearer, Pluggable } from '@smithy/types';
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
      // Services the sandbox runs for real on loopback (DynamoDB: dynalite) get their requests sent there.
      stack.add(
        (next: BuildHandler<object, MetadataBearer>, context: HandlerExecutionContext) => async (args: BuildHandlerArguments<object>) => {
          const endpoint = account.loopbackEndpoint(context.clientName ?? '');
          if (endpoint && HttpRequest.isInstance(args.request)) {
            const url = new URL(endpoint);
            args.request.protocol = url.protocol;
            args.request.hostname = url.hostname;
            args.request.port = Number(url.port);
            args.request.headers.host = url.host;
          }
          return next(args);
        },
        { step: 'build', priority: 'low', name: 'eksopsSandboxLoopback' },
      );
      stack.add(
        (next: DeserializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
          async (args: DeserializeHandlerArguments<object>) => {
            if (account.loopbackEndpoint(context.clientName ?? '')) return next(args);
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
