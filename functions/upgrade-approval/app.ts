import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';
import { secretReaderFor } from '../../shared/secrets/secret-reader.ts';
import { answerApproval } from '../../shared/upgrade/approval/answer.ts';

/**
 * The function URL Slack posts button clicks to (the Slack app's Interactivity Request URL). Public by
 * design (Slack cannot sign with SigV4): every request is checked against Slack's signature first.
 */
export function makeHandler(deps: FunctionDeps) {
  const answerDeps = { ...deps, secrets: secretReaderFor(deps.clients) };
  return eksopsHandler({ schema: LambdaFunctionUrlSchema, correlationIdPath: 'requestContext.requestId' }, async (request) => {
    const { outcome: _outcome, ...response } = await answerApproval(request, answerDeps);
    return response;
  });
}
