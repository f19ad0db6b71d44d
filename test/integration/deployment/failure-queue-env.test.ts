import { beforeAll, describe, expect, it } from '@jest/globals';
import { ON_FAILURE_FUNCTIONS } from '../../../deploy/iam.ts';
import { lambdaLogicalId } from '../../../local/lambda/runtime.ts';
import { type CloudFormationTemplate, compiledTemplate } from '../../../local/template/compiled-template.ts';
import { FAILURE_QUEUE_URL_ENV } from '../../../shared/middleware/failure-queue.ts';

/**
 * The error policy as deployed: every asynchronously invoked function (one with an on-failure destination)
 * knows the FailureQueue's URL, so that it can send an invalid event there itself instead of having Lambda
 * retry it; the synchronous ones (Step Functions tasks, the function URL) do not, and keep throwing.
 */
let template: CloudFormationTemplate;
beforeAll(async () => {
  template = await compiledTemplate();
}, 8 * 60_000);


const variablesOf = (functionName: string) => (template.Resources[lambdaLogicalId(functionName)]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

describe('the failure queue in the compiled template', () => {
  it('is named to every asynchronously invoked function, by Ref (its URL)', () => {
    for (const name of [...ON_FAILURE_FUNCTIONS]) {
      expect({ name, url: variablesOf(name)[FAILURE_QUEUE_URL_ENV] }).toEqual({ name, url: { Ref: 'FailureQueue' } });
    }
  });

  it('is named to no synchronously invoked function', () => {
    const functions = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([logicalId]) => logicalId);
    const asynchronous = new Set([...ON_FAILURE_FUNCTIONS].map(lambdaLogicalId));
    for (const logicalId of functions.filter((id) => !asynchronous.has(id))) {
      const variables = (template.Resources[logicalId]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect({ logicalId, url: variables[FAILURE_QUEUE_URL_ENV] }).toEqual({ logicalId, url: undefined });
    }
  });
});
