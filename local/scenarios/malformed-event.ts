import type { Scenario } from './scenario.ts';
import { sampleEvent } from './sample-events.ts';

/** Bad input is not lost: Lambda retries, then the event lands in the failure queue with its reason. */
export const malformedEvent: Scenario = {
  name: 'malformed-event',
  title: 'A malformed event is rejected with its reason and kept in the failure queue, not lost',
  async run({ sandbox, step, publish, check }) {
    const event = sampleEvent('cloudtrail-eks-create-cluster.json');
    const broken = { ...event, detail: { ...(event.detail as Record<string, unknown>), userIdentity: undefined, eventTime: 42 } };

    step('an event that matches the rule but lost its userIdentity and has a numeric eventTime arrives');
    await publish(broken);
    const failed = sandbox.lambda.failedAsync[0];
    check('the function was tried three times (Lambda retries an asynchronous event twice)', sandbox.lambda.invocations.filter((invocation) => invocation.functionName === 'clusterOnboarding').length === 3);
    check('the event is in the failure queue', failed?.destination === 'FailureQueue');
    check('the reason names the offending fields', /detail\.userIdentity/.test(failed?.error.message ?? '') && /detail\.eventTime/.test(failed?.error.message ?? ''));
    check('nothing was changed and nothing was posted', sandbox.aws.account.changes.length === 0 && sandbox.slack.messages.length === 0);
  },
};
