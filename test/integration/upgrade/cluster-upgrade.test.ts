import { afterEach, describe, expect, it } from '@jest/globals';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeUpdateCommand, EKSClient, type ErrorCode, ListUpdatesCommand, ThrottlingException, UpdateClusterVersionCommand, UpdateNodegroupVersionCommand } from '@aws-sdk/client-eks';
import { startSandbox, type Sandbox } from '../../../local/sandbox.ts';
import { clusterVersions, runUpgrade, seedUpgradeFleet, UPGRADE_MACHINE, withUpgrades } from '../../../local/scenarios/upgrade-fleet.ts';
import type { UpdateScope } from '../../../local/account/services/eks-updates.ts';
import { SandboxEksFargate } from '../../../local/account/services/eks-fargate.ts';
import { SandboxAutoScaling } from '../../../local/account/services/autoscaling.ts';

/**
 * cluster-upgrade as deployed (compiled by `sls package`), run by the sandbox on virtual time against the
 * in-memory EKS. Each test asserts where the cluster ends, what the execution says, and what reached Slack.
 */
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function fleet(options: Parameters<typeof withUpgrades>[0] = {}, seed: Parameters<typeof seedUpgradeFleet>[2] = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ configure: withUpgrades({ durationMinutes: 600, ...options }) });
  seedUpgradeFleet(sandbox, 'prod-eu', seed);
  return sandbox;
}

const slack = (box: Sandbox) => box.slack.messages.map((message) => message.body).join('\n');
const calls = (box: Sandbox, operation: string) => box.aws.account.callCount('eks', operation);
const machine = (box: Sandbox) => {
  const found = box.stateMachines.get(UPGRADE_MACHINE);
  if (!found) throw new Error('no cluster-upgrade state machine');
  return found;
};
const lockItem = async (box: Sandbox) =>
  (await box.aws.clients.client(DynamoDBClient).send(new GetItemCommand({ TableName: 'eksops-dev-upgrade-locks', Key: { lockId: { S: 'self/eu-west-1/prod-eu' } }, ConsistentRead: true }))).Item;

describe('cluster-upgrade', () => {
  it('upgrades two hops stage by stage when a window may carry two, with sized waits and a small history', async () => {
    const box = await fleet({ hopsPerWindow: 2 });
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu')).toEqual({
      cluster: '1.34',
      nodegroups: { system: '1.34', web: '1.34', batch: '1.34', gpu: '1.34' },
      addons: { 'vpc-cni': 'v1.21.1-eksbuild.1', coredns: 'v1.12.3-eksbuild.1', 'kube-proxy': 'v1.34.0-eksbuild.3', 'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2' },
    });
    // One UpdateClusterVersion per hop; every node group once per hop, the canary alone first.
    expect(calls(box, 'UpdateClusterVersion')).toBe(2);
    expect(calls(box, 'UpdateNodegroupVersion')).toBe(8);
    const nodegroupOrder = box.aws.account.changes.filter((change) => change.action === 'UpdateNodegroupVersion').map((change) => change.resource.split('/').at(-1));
    expect(nodegroupOrder).toEqual(['system', 'batch', 'gpu', 'web', 'system', 'batch', 'gpu', 'web']);
    // Sized waits: at most two polls per stage (12 stages, and the insights refresh before the second hop), never a 30-second loop.
    const polls = box.lambda.invocations.filter((invocation) => invocation.functionName === 'upgradePoll').length;
    expect(polls).toBeLessThanOrEqual(26);
    // The second hop's insights were evaluated at 1.32: eksops had EKS re-evaluate them (once) before it.
    expect(box.aws.account.changes.filter((change) => change.action === 'StartInsightsRefresh')).toHaveLength(1);
    // Each hop in its own child execution: the parent's history grows by a few events per hop.
    expect(execution.childExecutions.map((child) => child.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(execution.history.length).toBeLessThan(60);
    for (const child of execution.childExecutions) expect(child.history.length).toBeLessThan(500);
    const headers = box.slack.messages.map((message) => /"text":"([^"]*)"/.exec(message.body)?.[1] ?? '');
    expect(headers[0]).toMatch(/Upgrade of prod-eu: 1.32 → 1.34/);
    expect(headers.at(-1)).toMatch(/Upgrade of prod-eu complete: 1.34/);
    expect(await lockItem(box)).toBeUndefined();
  });

  it('reports self-managed node groups in the plan and leaves them alone', async () => {
    const box = await fleet();
    const autoscaling = box.aws.account.service(SandboxAutoScaling);
    autoscaling.seedGroup(box.aws.here, 'legacy-workers', { tags: { 'kubernetes.io/cluster/prod-eu': 'owned' } });
    autoscaling.seedGroup(box.aws.here, 'eks-web-123', { tags: { 'kubernetes.io/cluster/prod-eu': 'owned', 'eks:nodegroup-name': 'web' } });
    autoscaling.seedGroup(box.aws.here, 'other-cluster', { tags: { 'kubernetes.io/cluster/staging': 'owned' } });
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    const start = box.slack.messages[0]?.body ?? '';
    expect(start).toMatch(/INFO\* `autoscaling\/legacy-workers` self-managed node group: eksops does not upgrade it/);
    expect(start).not.toMatch(/eks-web-123|other-cluster/);
  });

  it('moves a custom-AMI node group to its launch template\'s default version, without an explicit Kubernetes version', async () => {
    const box = await fleet({}, { nodegroups: 1 });
    box.aws.services.eksNodegroups.seedNodegroup(box.aws.here, 'prod-eu', 'custom', { version: '1.32', amiType: 'CUSTOM', launchTemplate: { id: 'lt-0abc', version: '3' } });
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    const eks = box.aws.clients.client(EKSClient);
    const [updateId] = (await eks.send(new ListUpdatesCommand({ name: 'prod-eu', nodegroupName: 'custom' }))).updateIds ?? [];
    const update = (await eks.send(new DescribeUpdateCommand({ name: 'prod-eu', nodegroupName: 'custom', updateId }))).update;
    expect(update?.params).toContainEqual({ type: 'LaunchTemplateVersion', value: '$Default' });
    expect(box.aws.services.eksNodegroups.nodegroupOf(box.aws.here, 'prod-eu', 'custom')).toMatchObject({ version: '1.33', launchTemplate: { id: 'lt-0abc' } });
  });

  it('names the Fargate profiles whose pods must be restarted, and says nothing when already at the target', async () => {
    const box = await fleet();
    box.aws.account.service(SandboxEksFargate).seedProfile(box.aws.here, 'prod-eu', 'serverless-jobs');
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    expect(slack(box)).toMatch(/Fargate: restart the pods of these profiles to run kubelet 1.33.*serverless-jobs/s);
    const messages = box.slack.messages.length;
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    expect(box.slack.messages.length).toBe(messages);
  });

  it('refuses a concurrent start for the same cluster with a clear message, and the first run completes', async () => {
    const box = await fleet();
    const first = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const second = machine(box).run({ cluster: 'prod-eu', targetVersion: '1.33' }, { name: 'prod-eu-manual' });
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status].sort()).toEqual(['FAILED', 'SUCCEEDED']);
    expect(slack(box)).toMatch(/not started: another upgrade of self\/eu-west-1\/prod-eu is running/);
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
    expect(calls(box, 'UpdateClusterVersion')).toBe(1);
    expect(await lockItem(box)).toBeUndefined();
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
  });

  describe('defers a stage the window cannot hold, then resumes from the live state', () => {
    const cases: { stage: string; seed: Parameters<typeof seedUpgradeFleet>[2]; minutesLeft: number; mutating: string }[] = [
      { stage: 'control plane', seed: {}, minutesLeft: 40, mutating: 'UpdateClusterVersion' },
      { stage: 'add-ons', seed: { version: '1.33', addonsAt: '1.32' }, minutesLeft: 10, mutating: 'UpdateAddon' },
      { stage: 'node groups', seed: { version: '1.33', nodegroupVersion: '1.32', addonsAt: '1.33', kubeProxyAt: '1.32' }, minutesLeft: 60, mutating: 'UpdateNodegroupVersion' },
      { stage: 'kube-proxy', seed: { version: '1.33', kubeProxyAt: '1.32' }, minutesLeft: 10, mutating: 'UpdateAddon' },
    ];
    for (const { stage, seed, minutesLeft, mutating } of cases) {
      it(`before the ${stage} stage`, async () => {
        const box = await fleet({}, seed);
        const now = box.aws.clock.now().getTime();
        const deferred = await machine(box).run({ cluster: 'prod-eu', targetVersion: '1.33', scheduledTime: new Date(now - (60 - minutesLeft) * 60_000).toISOString(), windowMinutes: 60 }, { name: 'late-window' });
        expect(deferred.status).toBe('SUCCEEDED');
        expect(calls(box, mutating)).toBe(0);
        expect(slack(box)).toMatch(/deferred/);
        expect(await lockItem(box)).toBeUndefined();
        const resumed = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
        expect(resumed.status).toBe('SUCCEEDED');
        expect(clusterVersions(box, 'prod-eu')).toMatchObject({ cluster: '1.33', nodegroups: { system: '1.33', web: '1.33', batch: '1.33', gpu: '1.33' }, addons: { 'kube-proxy': 'v1.33.0-eksbuild.3' } });
      });
    }
  });

  describe('stops at a failing stage with the error codes and a remedy; a re-run continues', () => {
    const cases: { stage: string; matches: (scope: UpdateScope, type: string) => boolean; code: string; stays: (versions: ReturnType<typeof clusterVersions>) => boolean }[] = [
      { stage: 'control plane', matches: (scope, type) => !scope.nodegroupName && !scope.addonName && type === 'VersionUpdate', code: 'ClusterUnreachable', stays: (versions) => versions.cluster === '1.32' },
      { stage: 'add-ons', matches: (scope) => scope.addonName === 'coredns', code: 'ConfigurationConflict', stays: (versions) => versions.addons.coredns === 'v1.11.4-eksbuild.2' },
      { stage: 'canary node group', matches: (scope) => scope.nodegroupName === 'system', code: 'NodeCreationFailure', stays: (versions) => versions.nodegroups.system === '1.32' && versions.nodegroups.web === '1.32' },
      { stage: 'node-group wave', matches: (scope) => scope.nodegroupName === 'gpu', code: 'InsufficientFreeAddresses', stays: (versions) => versions.nodegroups.gpu === '1.32' && versions.nodegroups.system === '1.33' },
      { stage: 'kube-proxy', matches: (scope) => scope.addonName === 'kube-proxy', code: 'AdmissionRequestDenied', stays: (versions) => versions.addons['kube-proxy'] === 'v1.32.0-eksbuild.3' && versions.nodegroups.web === '1.33' },
    ];
    for (const { stage, matches, code, stays } of cases) {
      it(`at the ${stage}`, async () => {
        const box = await fleet();
        box.aws.services.eks.updates.planFailure((scope, type) => matches(scope, type), { errors: [{ errorCode: code as ErrorCode, errorMessage: `${code} injected`, resourceIds: [] }], afterMs: 5 * 60_000 });
        const failed = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
        expect(failed.status).toBe('FAILED');
        expect(failed.error).toBe('UpgradeStopped');
        expect(stays(clusterVersions(box, 'prod-eu'))).toBe(true);
        expect(slack(box)).toContain(code);
        expect(slack(box)).toMatch(/Upgrade of prod-eu stopped/);
        expect(await lockItem(box)).toBeUndefined();
        const rerun = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
        expect(rerun.status).toBe('SUCCEEDED');
        expect(clusterVersions(box, 'prod-eu')).toMatchObject({ cluster: '1.33', nodegroups: { system: '1.33', web: '1.33', batch: '1.33', gpu: '1.33' } });
      });
    }
  });

  it('rides out throttling: the SDK retries, then Step Functions retries the task', async () => {
    const box = await fleet();
    box.aws.account.injectFault({ clientName: 'EKSClient', commandName: 'UpdateClusterVersionCommand', times: 2, error: () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }) });
    // More throttles than the SDK's 4 attempts: the Poll task fails with ThrottlingException and is retried.
    box.aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeUpdateCommand', times: 5, error: () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }) });
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
    expect(box.lambda.invocations.some((invocation) => invocation.functionName === 'upgradePoll' && invocation.error?.name === 'ThrottlingException')).toBe(true);
  });

  it('waits for an update someone else started instead of failing on ResourceInUseException', async () => {
    const box = await fleet({}, { version: '1.33', nodegroupVersion: '1.32', addonsAt: '1.33', kubeProxyAt: '1.32' });
    await box.aws.clients.client(EKSClient).send(new UpdateNodegroupVersionCommand({ clusterName: 'prod-eu', nodegroupName: 'web', version: '1.33' }));
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls(box, 'UpdateNodegroupVersion')).toBe(4);
    expect(clusterVersions(box, 'prod-eu').nodegroups).toEqual({ system: '1.33', web: '1.33', batch: '1.33', gpu: '1.33' });
  });

  it('adopts a control-plane update started by hand before the window, then carries on with the hop', async () => {
    const box = await fleet();
    await box.aws.clients.client(EKSClient).send(new UpdateClusterVersionCommand({ name: 'prod-eu', version: '1.33' }));
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls(box, 'UpdateClusterVersion')).toBe(1);
    expect(clusterVersions(box, 'prod-eu')).toMatchObject({ cluster: '1.33', nodegroups: { system: '1.33', web: '1.33', batch: '1.33', gpu: '1.33' } });
  });

  it('rejects malformed input and unknown clusters without touching EKS', async () => {
    const box = await fleet();
    const malformed = await machine(box).run({ cluster: 'prod eu!', targetVersion: 'latest' }, { name: 'bad-input' });
    expect(malformed.status).toBe('FAILED');
    expect(slack(box)).toMatch(/invalid upgrade request: cluster: must be a valid EKS cluster name.*targetVersion: must be a Kubernetes minor version/);
    const unknown = await machine(box).run({ cluster: 'nowhere' }, { name: 'unknown-cluster' });
    expect(unknown.status).toBe('FAILED');
    expect(slack(box)).toMatch(/cluster nowhere is not in the configuration/);
    expect(box.aws.account.calls.filter((call) => call.service === 'eks')).toEqual([]);
  });

  it('keeps every history far from the 25,000-event limit: a 24-hour window of 50 node groups, one at a time', async () => {
    // A hop's child execution lasts at most one window (24 h at most): filled with 36-minute stages, it is the longest history a hop can have.
    const box = await fleet({ maxConcurrency: 1, durationMinutes: 24 * 60 }, { nodegroups: 50 });
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(slack(box)).toMatch(/deferred/);
    expect(calls(box, 'UpdateNodegroupVersion')).toBeGreaterThan(30);
    expect(execution.history.length).toBeLessThan(100);
    expect(execution.childExecutions.length).toBeGreaterThan(0);
    for (const child of execution.childExecutions) expect(child.history.length).toBeLessThan(2500);
  });

  it('releases the lock when the first step fails after taking it (a configured cluster that does not exist)', async () => {
    const box = await fleet();
    const execution = await runUpgrade(box, { cluster: 'staging', targetVersion: '1.33' });
    expect(execution.status).toBe('FAILED');
    expect(slack(box)).toMatch(/cluster staging does not exist/);
    const lock = await box.aws.clients.client(DynamoDBClient).send(new GetItemCommand({ TableName: 'eksops-dev-upgrade-locks', Key: { lockId: { S: 'self/eu-west-1/staging' } }, ConsistentRead: true }));
    expect(lock.Item).toBeUndefined();
  });

  it('ends cleanly when the cluster is deleted mid-run', async () => {
    const box = await fleet();
    box.lambda.onInvocation((invocation) => {
      if (invocation.functionName === 'upgradePoll' && invocation.result) box.aws.services.eks.removeCluster(box.aws.here, 'prod-eu');
    });
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(execution.status).toBe('FAILED');
    expect(slack(box)).toMatch(/ClusterGoneError/);
    expect(slack(box)).toMatch(/the cluster was deleted/);
    expect(await lockItem(box)).toBeUndefined();
  });
});
