import { describe, expect, it } from '@jest/globals';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { createInMemoryAws } from '../../../local/account/in-memory-aws.ts';
import { sampleEvent } from '../../../local/scenarios/sample-events.ts';
import { CREATED_AT_TAG, CREATED_BY_TAG } from '../../../shared/access/cluster-creator.ts';
import { type CreateClusterEvent, CreateClusterEventSchema } from '../../../shared/access/create-cluster-event.ts';
import { onboardCluster } from '../../../shared/access/onboard-cluster.ts';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import type { Notification } from '../../../shared/notify/notifier.ts';

// The CloudTrail sample: user `username` of 111122223333 created cluster `test` in us-west-2.
const WHERE = { accountId: '111122223333', region: 'us-west-2' };
const CREATOR = 'arn:aws:iam::111122223333:user/username';

function setUp(settings: { access?: Record<string, unknown>; dryRun?: boolean } = {}) {
  const aws = createInMemoryAws({ start: '2026-03-02T09:00:00Z' });
  const config = ConfigSchema.parse({ region: 'us-west-2', access: { enabled: true, ...settings.access }, ...(settings.dryRun ? { dryRun: true } : {}) });
  const sent: Notification[] = [];
  const deps = { config, clients: aws.clients, notifier: { send: async (notification: Notification) => void sent.push(notification) } };
  const tagsOf = async () => (await aws.clients.client(EKSClient, { region: WHERE.region }).send(new DescribeClusterCommand({ name: 'test' }))).cluster?.tags ?? {};
  return { aws, deps, sent, tagsOf };
}

const createCluster = (): CreateClusterEvent => CreateClusterEventSchema.parse(sampleEvent('cloudtrail-eks-create-cluster.json'));
const slackText = (notification: Notification | undefined) => JSON.stringify(notification?.blocks ?? []);

describe('onboardCluster against the sandbox account', () => {
  it('tags the new cluster with its creator and tells Slack who created it', async () => {
    const { aws, deps, sent, tagsOf } = setUp();
    aws.services.eks.seedCluster(WHERE, 'test');
    const result = await onboardCluster(createCluster(), deps);
    expect(result).toEqual({ cluster: 'test', outcome: 'tagged' });
    expect(await tagsOf()).toEqual({ [CREATED_BY_TAG]: CREATOR, [CREATED_AT_TAG]: '2018-05-28T19:16:43Z' });
    expect(aws.account.changes.map((change) => change.action)).toEqual(['TagResource']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.capability).toBe('access');
    expect(slackText(sent[0])).toContain('New EKS cluster: test');
    expect(slackText(sent[0])).toContain(CREATOR);
    expect(slackText(sent[0])).toContain('Creator recorded on the cluster');
  });

  it('never rewrites a creator already recorded (a replayed event), and still reports', async () => {
    const { aws, deps, sent, tagsOf } = setUp();
    aws.services.eks.seedCluster(WHERE, 'test', { tags: { [CREATED_BY_TAG]: 'arn:aws:iam::111122223333:role/first' } });
    const result = await onboardCluster(createCluster(), deps);
    expect(result).toEqual({ cluster: 'test', outcome: 'already-recorded' });
    expect(await tagsOf()).toEqual({ [CREATED_BY_TAG]: 'arn:aws:iam::111122223333:role/first' });
    expect(aws.account.changes).toEqual([]);
    expect(slackText(sent[0])).toContain('already names its creator');
  });

  it('writes nothing in dry-run mode, and says so in Slack', async () => {
    const { aws, deps, sent, tagsOf } = setUp({ dryRun: true });
    aws.services.eks.seedCluster(WHERE, 'test');
    expect(await onboardCluster(createCluster(), deps)).toEqual({ cluster: 'test', outcome: 'dry-run' });
    expect(await tagsOf()).toEqual({});
    expect(aws.account.callCount('eks', 'TagResource')).toBe(0);
    expect(slackText(sent[0])).toContain('Dry run');
  });

  it('skips a failed CreateCluster and a disabled capability without calling AWS or Slack', async () => {
    const failed = setUp();
    const event = createCluster();
    const result = await onboardCluster({ ...event, detail: { ...event.detail, errorCode: 'InvalidParameterException', errorMessage: 'bad subnet' } } as CreateClusterEvent, failed.deps);
    expect(result).toMatchObject({ outcome: 'skipped', cluster: 'test', reason: expect.stringContaining('InvalidParameterException') });
    const disabled = setUp({ access: { enabled: false } });
    disabled.aws.services.eks.seedCluster(WHERE, 'test');
    expect(await onboardCluster(createCluster(), disabled.deps)).toEqual({ outcome: 'skipped', cluster: 'test', reason: 'access is disabled in the configuration' });
    for (const { aws, sent } of [failed, disabled]) {
      expect(aws.account.calls).toEqual([]);
      expect(sent).toEqual([]);
    }
  });

  it('lets a throttled TagResource fail the invocation (transient: Lambda retries it), having written and posted nothing', async () => {
    const { aws, deps, sent, tagsOf } = setUp();
    aws.services.eks.seedCluster(WHERE, 'test');
    aws.account.injectFault({ clientName: 'EKSClient', commandName: 'TagResourceCommand', times: 10, error: () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }) });
    await expect(onboardCluster(createCluster(), deps)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(await tagsOf()).toEqual({});
    expect(sent).toEqual([]);
  });
});
