import { describe, expect, it } from '@jest/globals';
import { AccessDeniedException, ClientException, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { applyChanges } from '../../../shared/tags/act.ts';
import { observeCluster } from '../../../shared/tags/observe.ts';
import { planCluster } from '../../../shared/tags/plan.ts';
import { reconcile } from '../../../shared/tags/reconcile.ts';
import { TokenBucket } from '../../../shared/concurrency/token-bucket.ts';
import { asgBatches, ec2Batches } from '../../../shared/tags/write-batches.ts';
import { SandboxEksAddons } from '../../../local/account/services/eks-addons.ts';
import { eksAsgTags, seedManagedGroup } from '../../../local/tags-fleet.ts';
import { tagsSandbox } from './tags-sandbox.ts';

function twoGroups(sandbox: ReturnType<typeof tagsSandbox>, cluster = 'prod') {
  sandbox.fleet.eks.seedCluster(sandbox.here, cluster, { version: '1.33' });
  const web = seedManagedGroup(sandbox.fleet, sandbox.here, cluster, { name: 'web', instances: 3, tags: { team: 'web' } });
  const batch = seedManagedGroup(sandbox.fleet, sandbox.here, cluster, { name: 'batch', instances: 2, tags: { team: 'data' }, taints: [{ key: 'batch', value: 'true', effect: 'NO_SCHEDULE' }] });
  return { web, batch };
}

const minimumWrites = (plans: { changes: Parameters<typeof ec2Batches>[0] }[]) => plans.reduce((sum, plan) => sum + ec2Batches(plan.changes).length + asgBatches(plan.changes).length, 0);

describe('reconcile against the in-memory account', () => {
  it('converges a fleet, then a second run writes nothing (idempotence)', async () => {
    const sandbox = tagsSandbox();
    const { web, batch } = twoGroups(sandbox);
    const deps = { config: sandbox.config(['prod']), clients: sandbox.aws.clients, clock: sandbox.aws.clock };
    const first = await reconcile({}, deps);
    expect(first.clusters[0]?.error).toBeUndefined();
    for (const id of web.instanceIds) {
      expect(sandbox.fleet.ec2.tagsOf(sandbox.here, id)).toMatchObject({ team: 'web', 'eksops:managed': 'team;h=bf81227b' });
      for (const attached of sandbox.fleet.ec2.attachmentsOf(sandbox.here, id)) expect(Object.fromEntries(attached.tags)).toEqual({ team: 'web', 'eksops:managed': 'team;h=bf81227b' });
    }
    expect(sandbox.fleet.autoscaling.groupOf(sandbox.here, batch.asgName)?.tags.get('k8s.io/cluster-autoscaler/node-template/taint/batch')).toEqual({ value: 'true:NoSchedule', propagate: false });
    const writes = sandbox.mutatingCalls();
    expect(writes).toBe(minimumWrites([first.clusters[0]?.plan ?? { changes: [] }]));

    const second = await reconcile({}, deps);
    expect(second.clusters[0]?.plan?.changes).toEqual([]);
    expect(sandbox.mutatingCalls()).toBe(writes);
  });

  it('converges under 20% throttling with no duplicate writes', async () => {
    const sandbox = tagsSandbox();
    const { web } = twoGroups(sandbox);
    sandbox.fleet.ec2.throttleMutating(5);
    sandbox.fleet.autoscaling.throttleMutating(5);
    const deps = { config: sandbox.config(['prod']), clients: sandbox.aws.clients, clock: sandbox.aws.clock };
    const plan = await reconcile({ planOnly: true }, deps);
    const result = await reconcile({}, deps);
    expect(result.clusters[0]?.act?.failures).toEqual([]);
    expect(sandbox.aws.account.calls.some((call) => call.error === 'RequestLimitExceeded' || call.error === 'Throttling')).toBe(true);
    // Every successful write is one the plan needs: a throttled call changed nothing and was retried once.
    expect(sandbox.mutatingCalls()).toBe(minimumWrites([plan.clusters[0]?.plan ?? { changes: [] }]));
    expect(sandbox.fleet.ec2.tagsOf(sandbox.here, web.instanceIds[0] ?? '')).toMatchObject({ team: 'web' });
    expect((await reconcile({}, deps)).clusters[0]?.plan?.changes).toEqual([]);
  });

  it('treats a node group deleted between ListNodegroups and DescribeNodegroup as gone', async () => {
    const sandbox = tagsSandbox();
    const { web, batch } = twoGroups(sandbox);
    // ListNodegroups is sorted: batch is described first and "was deleted".
    sandbox.aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeNodegroupCommand', error: () => new ResourceNotFoundException({ message: 'No node group found for name: batch.', $metadata: {} }) });
    const result = await reconcile({}, { config: sandbox.config(['prod'], { describeConcurrency: 1 }), clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.clusters[0]?.error).toBeUndefined();
    expect(sandbox.fleet.ec2.tagsOf(sandbox.here, web.instanceIds[0] ?? '')?.team).toBe('web');
    expect(sandbox.fleet.ec2.tagsOf(sandbox.here, batch.instanceIds[0] ?? '')?.team).toBeUndefined();
  });

  it('treats an instance terminated and an ASG deleted between describe and tag as gone, and writes the rest', async () => {
    const sandbox = tagsSandbox();
    const { web, batch } = twoGroups(sandbox);
    const where = { region: sandbox.here.region };
    const clients = { eks: sandbox.aws.clients.client(EKSClient, where), ec2: sandbox.aws.clients.client(EC2Client, where), autoscaling: sandbox.aws.clients.client(AutoScalingClient, where) };
    const observation = await observeCluster(clients, { name: 'prod', region: sandbox.here.region, accountId: sandbox.here.accountId, requiredTags: {}, selfManaged: [] }, { clock: sandbox.aws.clock, concurrency: 2 });
    const plan = planCluster(observation, { autoscalerDiscovery: false, allow: ['*'], deny: [] });
    const terminated = web.instanceIds[0] ?? '';
    sandbox.fleet.ec2.terminate(sandbox.here, terminated);
    sandbox.fleet.autoscaling.deleteGroup(sandbox.here, batch.asgName);
    const bucket = () => new TokenBucket({ ratePerSecond: 100, clock: sandbox.aws.clock });
    const outcome = await applyChanges(plan.changes, clients, { ec2: bucket(), autoscaling: bucket() });
    expect(outcome.failures).toEqual([]);
    expect(outcome.gone).toEqual(expect.arrayContaining([terminated, batch.asgName, ...batch.instanceIds]));
    for (const id of web.instanceIds.slice(1)) expect(sandbox.fleet.ec2.tagsOf(sandbox.here, id)?.team).toBe('web');
    expect(sandbox.fleet.autoscaling.tagsOf(sandbox.here, web.asgName)?.team).toBe('web');
  });

  it('keeps going when one cluster answers AccessDenied', async () => {
    const sandbox = tagsSandbox();
    twoGroups(sandbox, 'alpha');
    const { web } = twoGroups(sandbox, 'beta');
    sandbox.aws.account.injectFault({ clientName: 'EKSClient', commandName: 'ListNodegroupsCommand', error: () => new AccessDeniedException({ message: 'User is not authorized to perform eks:ListNodegroups', $metadata: {} }) });
    const result = await reconcile({}, { config: sandbox.config(['alpha', 'beta'], { clusterConcurrency: 1 }), clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.clusters.map((run) => [run.cluster, run.error?.name])).toEqual([
      ['alpha', 'AccessDeniedException'],
      ['beta', undefined],
    ]);
    expect(sandbox.fleet.ec2.tagsOf(sandbox.here, web.instanceIds[0] ?? '')?.team).toBe('web');
  });

  it('retries EKS "Request limit exceeded", which the SDK does not', async () => {
    const sandbox = tagsSandbox();
    const { web } = twoGroups(sandbox);
    sandbox.aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeNodegroupCommand', times: 2, error: () => new ClientException({ message: 'Request limit exceeded', $metadata: {} }) });
    const result = await reconcile({}, { config: sandbox.config(['prod']), clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.clusters[0]?.error).toBeUndefined();
    expect(sandbox.fleet.ec2.tagsOf(sandbox.here, web.instanceIds[0] ?? '')?.team).toBe('web');
  });

  it('changes nothing in dry-run mode, and still returns the plan', async () => {
    const sandbox = tagsSandbox();
    twoGroups(sandbox);
    const result = await reconcile({}, { config: sandbox.config(['prod'], {}, { dryRun: true }), clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.dryRun).toBe(true);
    expect(result.clusters[0]?.plan?.changes.length).toBeGreaterThan(0);
    expect(sandbox.mutatingCalls()).toBe(0);
    expect(sandbox.aws.account.changes).toEqual([]);
  });

  it('tags a self-managed group it finds by tag or by name, never copying eks: keys', async () => {
    const sandbox = tagsSandbox();
    sandbox.fleet.eks.seedCluster(sandbox.here, 'prod', { version: '1.33' });
    sandbox.fleet.autoscaling.seedGroup(sandbox.here, 'named', { tags: { Name: 'named' }, instances: 1 });
    sandbox.fleet.autoscaling.seedGroup(sandbox.here, 'tagged', { tags: { 'kubernetes.io/cluster/prod': 'owned' }, instances: 1 });
    const config = sandbox.config(['prod'], { selfManagedGroups: { prod: ['named'] } });
    const withRequired = { ...config, clusters: config.clusters.map((cluster) => ({ ...cluster, requiredTags: { team: 'core', 'eks:nodegroup-name': 'fake' } })) };
    const result = await reconcile({}, { config: withRequired, clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.clusters[0]?.plan?.lints).toContainEqual(expect.objectContaining({ rule: 'self-managed-missing-cluster-tag', subject: 'named' }));
    for (const name of ['named', 'tagged']) {
      const group = sandbox.fleet.autoscaling.groupOf(sandbox.here, name);
      expect(group?.tags.get('kubernetes.io/cluster/prod')).toEqual({ value: 'owned', propagate: true });
      expect(group?.tags.has('eks:nodegroup-name')).toBe(false);
      const instanceId = group?.instanceIds[0] ?? '';
      expect(sandbox.fleet.ec2.tagsOf(sandbox.here, instanceId)).toMatchObject({ 'kubernetes.io/cluster/prod': 'owned', team: 'core' });
    }
  });

  it('waits out a CREATING node group whose ASG is not there yet, then tags the ASG when EKS creates it', async () => {
    const sandbox = tagsSandbox();
    sandbox.fleet.eks.seedCluster(sandbox.here, 'prod', { version: '1.33' });
    sandbox.fleet.eksNodegroups.seedNodegroup(sandbox.here, 'prod', 'new', { status: 'CREATING', tags: { team: 'new' }, autoScalingGroupName: 'eks-new-prod' });
    const deps = { config: sandbox.config(['prod']), clients: sandbox.aws.clients, clock: sandbox.aws.clock };
    const first = await reconcile({ clusters: ['prod'], scope: { nodegroups: ['new'] } }, deps);
    expect(first.clusters[0]).toMatchObject({ plan: { changes: [], pendingNodegroups: ['new'] } });
    expect(first.clusters[0]?.error).toBeUndefined();
    sandbox.fleet.autoscaling.seedGroup(sandbox.here, 'eks-new-prod', { tags: eksAsgTags('prod', 'new') });
    await reconcile({ clusters: ['prod'], scope: { nodegroups: ['new'], asgNames: ['eks-new-prod'] } }, deps);
    expect(sandbox.fleet.autoscaling.groupOf(sandbox.here, 'eks-new-prod')?.tags.get('team')).toEqual({ value: 'new', propagate: true });
    // The instances it launches from now on carry the tag from the start.
    const id = sandbox.fleet.autoscaling.launchInstance(sandbox.here, 'eks-new-prod');
    expect(sandbox.fleet.ec2.tagsOf(sandbox.here, id)?.team).toBe('new');
  });

  it('pages DescribeInstances (MaxResults 1000) and ListNodegroups to the end', async () => {
    const sandbox = tagsSandbox();
    sandbox.fleet.eks.seedCluster(sandbox.here, 'big', { version: '1.33' });
    for (let index = 0; index < 102; index += 1) sandbox.fleet.eksNodegroups.seedNodegroup(sandbox.here, 'big', `empty-${String(index).padStart(3, '0')}`, { autoScalingGroupName: `eks-empty-${index}` });
    for (let index = 0; index < 102; index += 1) sandbox.fleet.autoscaling.seedGroup(sandbox.here, `eks-empty-${index}`, { tags: eksAsgTags('big', `empty-${index}`) });
    const { instanceIds } = seedManagedGroup(sandbox.fleet, sandbox.here, 'big', { name: 'wide', instances: 1100, tags: { team: 'wide' } });
    const result = await reconcile({}, { config: sandbox.config(['big']), clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.clusters[0]?.error).toBeUndefined();
    expect(sandbox.aws.account.callCount('eks', 'ListNodegroups')).toBe(2);
    expect(sandbox.aws.account.callCount('ec2', 'DescribeInstances')).toBe(2);
    expect(instanceIds.every((id) => sandbox.fleet.ec2.tagsOf(sandbox.here, id)?.team === 'wide')).toBe(true);
  });

  it('lints a multi-AZ group when the EBS CSI driver add-on is installed', async () => {
    const sandbox = tagsSandbox();
    sandbox.fleet.eks.seedCluster(sandbox.here, 'prod', { version: '1.33' });
    seedManagedGroup(sandbox.fleet, sandbox.here, 'prod', { name: 'spread', instances: 2, availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    sandbox.aws.account.service(SandboxEksAddons).seedAddon(sandbox.here, 'prod', 'aws-ebs-csi-driver');
    const result = await reconcile({}, { config: sandbox.config(['prod']), clients: sandbox.aws.clients, clock: sandbox.aws.clock });
    expect(result.clusters[0]?.plan?.lints.map((lint) => [lint.rule, lint.subject])).toEqual([
      ['ebs-multi-az', 'spread'],
      ['az-rebalance', 'spread'],
    ]);
  });
});
