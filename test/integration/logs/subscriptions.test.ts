import { describe, expect, it } from '@jest/globals';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { reconcileLogSubscriptions } from '../../../shared/logs/subscriptions/reconcile.ts';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { SandboxCloudWatchLogs } from '../../../local/account/services/cloudwatch-logs.ts';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import type { Notification } from '../../../shared/notify/notifier.ts';

const FORWARDER = 'arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-logForwarder';
const schedule = { source: 'aws.events', 'detail-type': 'Scheduled Event' };

function setUp() {
  const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
  const config = ConfigSchema.parse({ region: 'eu-west-1', clusters: [{ name: 'prod' }], logs: { enabled: true, retentionDays: 90, destinations: [{ name: 'h', type: 'http', url: 'https://logs.example.com' }] } });
  const sent: Notification[] = [];
  const deps = { config, clients: aws.clients, env: { EKSOPS_LOG_FORWARDER_ARN: FORWARDER, EKSOPS_STAGE: 'dev' }, notifier: { send: async (notification: Notification) => void sent.push(notification) } };
  return { aws, deps, sent, logs: aws.account.service(SandboxCloudWatchLogs) };
}

describe('the subscription manager against the sandbox account', () => {
  it('converges an ACTIVE cluster in one run and changes nothing on the next', async () => {
    const { aws, deps, logs } = setUp();
    aws.services.eks.seedCluster(aws.here, 'prod');
    await reconcileLogSubscriptions(schedule, deps);
    expect(logs.logGroup(aws.here, '/aws/eks/prod/cluster')).toMatchObject({ group: { retentionInDays: 90 }, filters: [{ filterName: 'eksops-dev', destinationArn: FORWARDER, filterPattern: '' }] });
    aws.clock.advance(3 * 60_000);
    const changes = aws.account.changes.length;
    const second = await reconcileLogSubscriptions(schedule, deps);
    expect(second.clusters[0]).toEqual({ cluster: 'prod', region: 'eu-west-1', actions: [], waiting: [], conflicts: [], applied: false });
    expect(aws.account.changes.length).toBe(changes);
    const logging = (await aws.clients.client(EKSClient).send(new DescribeClusterCommand({ name: 'prod' }))).cluster?.logging?.clusterLogging;
    expect(logging).toEqual([{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }]);
  });

  it('does not call UpdateClusterConfig while another update runs (EKS would refuse it)', async () => {
    const { aws, deps } = setUp();
    aws.services.eks.seedCluster(aws.here, 'prod');
    await reconcileLogSubscriptions(schedule, deps);
    // A minute later the first logging update (3 minutes) still runs: the types it enables are not on yet.
    aws.clock.advance(60_000);
    const result = await reconcileLogSubscriptions(schedule, deps);
    expect(result.clusters[0]?.waiting).toEqual([expect.stringMatching(/^logging waits for update .+ to finish$/)]);
    expect(aws.account.callCount('eks', 'UpdateClusterConfig')).toBe(1);
    expect(aws.account.calls.filter((call) => call.error)).toEqual([]);
  });

  it('reports a conflict and leaves foreign filters alone when the group already has two', async () => {
    const { aws, deps, logs, sent } = setUp();
    aws.services.eks.seedCluster(aws.here, 'prod');
    const foreign = [
      { filterName: 'datadog', logGroupName: '/aws/eks/prod/cluster', filterPattern: '', destinationArn: 'arn:aws:lambda:eu-west-1:111122223333:function:datadog' },
      { filterName: '<!channel> *other*', logGroupName: '/aws/eks/prod/cluster', filterPattern: '', destinationArn: 'arn:aws:lambda:eu-west-1:111122223333:function:other' },
    ];
    logs.seedLogGroup(aws.here, '/aws/eks/prod/cluster', { retentionInDays: 90, filters: foreign });
    const result = await reconcileLogSubscriptions(schedule, deps);
    expect(result.clusters[0]?.conflicts).toEqual([expect.stringMatching(/already has 2 subscription filters/)]);
    expect(logs.logGroup(aws.here, '/aws/eks/prod/cluster')?.filters.map((filter) => filter.filterName)).toEqual(['datadog', '<!channel> *other*']);
    // The hourly run only logs it; an event about the cluster tells Slack, with the account's text escaped.
    expect(sent).toEqual([]);
    await reconcileLogSubscriptions({ source: 'aws.eks', 'detail-type': 'AWS API Call via CloudTrail', region: 'eu-west-1', detail: { eventName: 'UpdateClusterConfig', requestParameters: { name: 'prod' } } }, deps);
    const text = JSON.stringify(sent[0]?.blocks);
    expect(sent[0]?.capability).toBe('logs');
    expect(text).toContain('already has 2 subscription filters');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('changes nothing in dry-run mode', async () => {
    const { aws, deps } = setUp();
    aws.services.eks.seedCluster(aws.here, 'prod');
    const result = await reconcileLogSubscriptions(schedule, { ...deps, config: { ...deps.config, dryRun: true } });
    expect(result.clusters[0]?.actions.length).toBeGreaterThan(0);
    expect(aws.account.changes).toEqual([]);
  });
});
