import type { FailedEventRecord } from '../../shared/middleware/failure-queue.ts';
import { queueUrl } from '../template/function-environment.ts';
import type { Scenario } from './scenario.ts';
import { sampleEvent } from './sample-events.ts';

/** Bad input is not lost and not retried: eksops sends it once, with its reason, to the failure queue. */
export const malformedEvent: Scenario = {
  name: 'malformed-event',
  title: 'A malformed event is rejected once with its reason and kept in the failure queue, not retried and not lost',
  async run({ sandbox, step, publish, check }) {
    const event = sampleEvent('cloudtrail-eks-create-cluster.json');
    const broken = { ...event, detail: { ...(event.detail as Record<string, unknown>), userIdentity: undefined, eventTime: 42 } };

    step('an event that matches the rule but lost its userIdentity and has a numeric eventTime arrives');
    await publish(broken);
    const invocations = sandbox.lambda.invocations.filter((invocation) => invocation.functionName === 'clusterOnboarding');
    const records = sandbox.aws.services.sqs.messages(queueUrl(sandbox.template, 'FailureQueue', sandbox.aws.here)).map((message) => JSON.parse(message.body) as FailedEventRecord);
    const record = records[0];
    check('the function was tried once (an invalid event cannot succeed, so eksops does not let Lambda retry it)', invocations.length === 1 && invocations[0]?.error === undefined && (invocations[0]?.result as { outcome?: string } | undefined)?.outcome === 'rejected');
    check("Lambda's own on-failure destination got nothing", sandbox.lambda.failedAsync.length === 0);
    check('the event is in the failure queue once, as it arrived', records.length === 1 && record?.requestContext.condition === 'InvalidEvent' && record.responsePayload.errorType === 'InvalidEventError' && JSON.stringify(record.requestPayload) === JSON.stringify(JSON.parse(JSON.stringify(broken))));
    check('the reason names the offending fields', /detail\.userIdentity/.test(record?.responsePayload.errorMessage ?? '') && /detail\.eventTime/.test(record?.responsePayload.errorMessage ?? ''));
    check('nothing was changed but the queue, and nothing was posted', sandbox.aws.account.changes.every((change) => change.service === 'sqs' && change.action === 'SendMessage') && sandbox.slack.messages.length === 0);
  },
};
