import { afterEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../local/sandbox.ts';
import { sampleEvent } from '../../../local/scenarios/sample-events.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('the local event bus, routing by the compiled EventPatterns', () => {
  it('delivers a CloudTrail CreateCluster event to the onboarding function, and nothing else', async () => {
    sandbox = await startSandbox();
    const createCluster = sampleEvent('cloudtrail-eks-create-cluster.json');
    expect(sandbox.bus.route(createCluster)).toEqual([
      { rule: 'eksops-dev-clusterOnboarding-rule-1', target: 'clusterOnboarding' },
      { rule: 'eksops-dev-logSubscriptions-rule-1', target: 'logSubscriptions' },
    ]);
    const otherCall = { ...createCluster, detail: { ...(createCluster.detail as object), eventName: 'DeleteCluster' } };
    expect(sandbox.bus.route(otherCall)).toEqual([]);
    expect(await sandbox.bus.put(sampleEvent('ec2-instance-state-change.json'))).toEqual([]);
    expect(sandbox.lambda.invocations).toHaveLength(0);
  });

  it('retries a failing asynchronous invocation twice, then keeps the event in the failure queue', async () => {
    sandbox = await startSandbox();
    sandbox.aws.services.eks.seedCluster({ accountId: '111122223333', region: 'us-west-2' }, 'test');
    sandbox.aws.account.injectFault({
      clientName: 'EKSClient',
      commandName: 'TagResourceCommand',
      times: 3,
      error: () => Object.assign(new Error('User: eksops is not authorized to perform: eks:TagResource'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }),
    });
    const event = sampleEvent('cloudtrail-eks-create-cluster.json');
    const [delivery] = await sandbox.bus.put(event);
    expect(delivery).toMatchObject({ outcome: 'failed-to-destination', attempts: 3 });
    expect(sandbox.lambda.failedAsync).toEqual([
      { functionName: 'clusterOnboarding', destination: 'FailureQueue', requestPayload: event, error: { name: 'AccessDeniedException', message: expect.stringContaining('eks:TagResource') }, attempts: 3 },
    ]);
  });

  it('recovers when a retry succeeds: the cluster is tagged once and Slack told once', async () => {
    sandbox = await startSandbox();
    sandbox.aws.services.eks.seedCluster({ accountId: '111122223333', region: 'us-west-2' }, 'test');
    sandbox.aws.account.injectFault({ clientName: 'EKSClient', commandName: 'TagResourceCommand', times: 1, error: () => Object.assign(new Error('denied'), { name: 'AccessDeniedException' }) });
    const [delivery] = await sandbox.bus.put(sampleEvent('cloudtrail-eks-create-cluster.json'));
    expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 2 });
    expect(sandbox.aws.account.changes.map((change) => change.action)).toEqual(['TagResource']);
    expect(sandbox.slack.messages).toHaveLength(1);
  });

  it('changes nothing in dry-run mode but still reports', async () => {
    sandbox = await startSandbox({ configure: (config) => ({ ...config, dryRun: true }) });
    sandbox.aws.services.eks.seedCluster({ accountId: '111122223333', region: 'us-west-2' }, 'test');
    await sandbox.bus.put(sampleEvent('cloudtrail-eks-create-cluster.json'));
    expect(sandbox.aws.account.changes).toEqual([]);
    expect(sandbox.slack.messages[0]?.body).toContain('Dry run');
  });
});
