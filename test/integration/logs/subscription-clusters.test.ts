import { describe, expect, it } from '@jest/globals';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { SandboxCloudWatchLogs } from '../../../local/account/services/cloudwatch-logs.ts';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import type { Notification } from '../../../shared/notify/notifier.ts';
import { reconcileLogSubscriptions } from '../../../shared/logs/subscriptions/reconcile.ts';

const FORWARDER = 'arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-logForwarder';
const schedule = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
const denied = () => Object.assign(new Error('User: eksops is not authorized to perform: eks:DescribeCluster'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });

function setUp(clusters: { name: string; region?: string }[]) {
  const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
  const config = ConfigSchema.parse({ region: 'eu-west-1', clusters, logs: { enabled: true, retentionDays: 30, destinations: [{ name: 'h', type: 'http', url: 'https://logs.example.com' }] } });
  const sent: Notification[] = [];
  const deps = { config, clients: aws.clients, env: { EKSOPS_LOG_FORWARDER_ARN: FORWARDER, EKSOPS_STAGE: 'dev' }, notifier: { send: async (notification: Notification) => void sent.push(notification) } };
  const logs = aws.account.service(SandboxCloudWatchLogs);
  return { aws, deps, sent, filtersOf: (region: string, cluster: string) => logs.logGroup({ accountId: aws.here.accountId, region }, `/aws/eks/${cluster}/cluster`)?.filters ?? [] };
}

describe('reconcileLogSubscriptions, cluster by cluster', () => {
  it('subscribes the other clusters when one fails, and reports that one with its error', async () => {
    const { aws, deps, filtersOf } = setUp([{ name: 'prod' }, { name: 'staging' }]);
    aws.services.eks.seedCluster(aws.here, 'prod');
    aws.services.eks.seedCluster(aws.here, 'staging');
    // Access denied is not retried by the SDK: exactly the first cluster's first call fails.
    aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeClusterCommand', times: 1, error: denied });

    const result = await reconcileLogSubscriptions(schedule, deps);

    expect(result.clusters.map(({ cluster, applied, error }) => ({ cluster, applied, error }))).toEqual([
      { cluster: 'prod', applied: false, error: expect.stringMatching(/^AccessDeniedException: .*eks:DescribeCluster/) },
      { cluster: 'staging', applied: true, error: undefined },
    ]);
    expect(filtersOf('eu-west-1', 'prod')).toEqual([]);
    expect(filtersOf('eu-west-1', 'staging')).toEqual([expect.objectContaining({ filterName: 'eksops-dev', destinationArn: FORWARDER })]);
  });

  it('fails the invocation when no cluster could be reconciled, naming each, so that Lambda retries it', async () => {
    const { aws, deps } = setUp([{ name: 'prod' }, { name: 'staging' }]);
    aws.services.eks.seedCluster(aws.here, 'prod');
    aws.services.eks.seedCluster(aws.here, 'staging');
    aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeClusterCommand', times: 2, error: denied });

    await expect(reconcileLogSubscriptions(schedule, deps)).rejects.toMatchObject({ name: 'NoClusterReconciledError', message: expect.stringMatching(/prod: AccessDeniedException.*staging: AccessDeniedException/) });
  });

  it('never subscribes a cluster of another Region to the forwarder, and tells Slack why when an event names it', async () => {
    const { aws, deps, sent, filtersOf } = setUp([{ name: 'prod', region: 'us-east-1' }]);
    aws.services.eks.seedCluster({ accountId: aws.here.accountId, region: 'us-east-1' }, 'prod');
    const event = { source: 'aws.eks', 'detail-type': 'AWS API Call via CloudTrail', region: 'us-east-1', detail: { eventName: 'UpdateClusterConfig', requestParameters: { name: 'prod' } } };

    const result = await reconcileLogSubscriptions(event, deps);

    expect(result.clusters).toEqual([expect.objectContaining({ cluster: 'prod', region: 'us-east-1', conflicts: [expect.stringContaining('is not in the forwarder\'s account and region')] })]);
    // The log group and its retention are still managed there; only the subscription cannot be.
    expect(filtersOf('us-east-1', 'prod')).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.blocks)).toContain('us-east-1');
  });

  it('skips an event about a cluster that is not configured, calling nothing', async () => {
    const { aws, deps, sent } = setUp([{ name: 'prod' }]);
    const event = { source: 'aws.eks', 'detail-type': 'AWS API Call via CloudTrail', region: 'eu-west-1', detail: { eventName: 'CreateCluster', requestParameters: { name: 'other' } } };
    expect(await reconcileLogSubscriptions(event, deps)).toEqual({ outcome: 'skipped', reason: 'cluster other is not in the configuration', clusters: [] });
    expect(aws.account.calls).toEqual([]);
    expect(sent).toEqual([]);
  });
});
