import { afterEach, describe, expect, it } from '@jest/globals';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand, DescribeLifecycleHooksCommand, InstanceRefreshInProgressFault, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, DescribeImagesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient, ValidationException } from '@aws-sdk/client-ssm';
import { refreshGroup } from '../../../shared/upgrade/act-refresh.ts';
import { startSandbox, type Sandbox } from '../../../local/sandbox.ts';
import { SandboxAutoScaling } from '../../../local/account/services/autoscaling.ts';
import { SandboxEc2 } from '../../../local/account/services/ec2.ts';
import { SandboxEc2LaunchTemplates } from '../../../local/account/services/ec2-launch-templates.ts';
import { clusterVersions, runUpgrade, seedSelfManagedGroup, seedUpgradeFleet, withUpgrades } from '../../../local/scenarios/upgrade-fleet.ts';

/**
 * Self-managed node groups refreshed onto the EKS-optimized AMI by the deployed cluster-upgrade state machine,
 * in the sandbox on virtual time: where the launch template and the group end, what their instances run, what
 * Auto Scaling and EC2 were asked, and what reached Slack.
 */
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const GROUP = 'legacy-workers';
interface Fleet {
  box: Sandbox;
  oldAmi: string;
  templateId: string;
}

/** prod-eu with its managed fleet, and a self-managed group of 3 instances on launch template version 1 (old AMI, m6i.large). */
async function fleet(options: { refreshSelfManaged?: boolean; seed?: Parameters<typeof seedUpgradeFleet>[2] } = {}): Promise<Fleet> {
  const box = await startSandbox({ configure: withUpgrades({ durationMinutes: 600, refreshSelfManaged: options.refreshSelfManaged ?? true }) });
  sandbox = box;
  seedUpgradeFleet(box, 'prod-eu', options.seed ?? {});
  return { box, ...seedSelfManagedGroup(box, 'prod-eu', GROUP) };
}

/** The recommended AMI as AWS publishes it: read through the SDK from the public parameter, not from eksops. */
async function recommended(box: Sandbox, version: string): Promise<string> {
  const parameter = await box.aws.clients.client(SSMClient).send(new GetParameterCommand({ Name: `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/x86_64/standard/recommended/image_id` }));
  return parameter.Parameter?.Value ?? '';
}

/** Where the group is: the launch template version it names, and the AMI each of its instances runs. */
function groupState(box: Sandbox, name = GROUP): { version: string | undefined; instanceAmis: string[]; instanceIds: string[] } {
  const group = box.aws.account.service(SandboxAutoScaling).groupOf(box.aws.here, name);
  const ec2 = box.aws.account.service(SandboxEc2);
  const instanceIds = [...(group?.instanceIds ?? [])];
  return { version: group?.launchTemplate?.Version ?? group?.mixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.Version, instanceAmis: instanceIds.map((id) => ec2.instance(box.aws.here, id)?.imageId ?? 'gone'), instanceIds };
}

const slack = (box: Sandbox) => box.slack.messages.map((message) => message.body).join('\n');
const autoscalingCalls = (box: Sandbox, operation: string) => box.aws.account.callCount('autoscaling', operation);
const ec2Calls = (box: Sandbox, operation: string) => box.aws.account.callCount('ec2', operation);

describe('self-managed node groups with upgrade.refreshSelfManaged', () => {
  it('move onto the recommended AMI of each version with a new launch template version and an instance refresh, after the managed node groups and before kube-proxy', async () => {
    const { box, oldAmi, templateId } = await fleet();
    const [ami132, ami133] = [await recommended(box, '1.32'), await recommended(box, '1.33')];
    expect(new Set([oldAmi, ami132, ami133]).size).toBe(3);

    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu')).toMatchObject({ cluster: '1.33', nodegroups: { system: '1.33', web: '1.33', batch: '1.33', gpu: '1.33' }, addons: { 'kube-proxy': 'v1.33.0-eksbuild.3' } });

    // One version per hop, each made from the one before with only the AMI changed; the group names the last.
    const versions = (await box.aws.clients.client(EC2Client).send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId }))).LaunchTemplateVersions ?? [];
    expect(versions.map((version) => [version.VersionNumber, version.LaunchTemplateData?.ImageId, version.LaunchTemplateData?.InstanceType, version.LaunchTemplateData?.IamInstanceProfile?.Name])).toEqual([
      [1, oldAmi, 'm6i.large', 'eks-node'],
      [2, ami132, 'm6i.large', 'eks-node'],
      [3, ami133, 'm6i.large', 'eks-node'],
    ]);
    expect(groupState(box)).toMatchObject({ version: '3', instanceAmis: [ami133, ami133, ami133] });

    // Both refreshes completed, each asked for that exact version, with the preferences eksops sets.
    const refreshes = (await box.aws.clients.client(AutoScalingClient).send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: GROUP }))).InstanceRefreshes ?? [];
    expect(refreshes.map((refresh) => [refresh.Status, refresh.DesiredConfiguration?.LaunchTemplate, refresh.Preferences?.MinHealthyPercentage, refresh.Preferences?.SkipMatching, refresh.Preferences?.InstanceWarmup])).toEqual([
      ['Successful', { LaunchTemplateId: templateId, Version: '3' }, 90, true, undefined],
      ['Successful', { LaunchTemplateId: templateId, Version: '2' }, 90, true, undefined],
    ]);

    // The order of the hop: the managed node groups, then the refresh, then kube-proxy.
    const order = box.aws.account.changes.map((change) => `${change.action} ${change.resource}`);
    const lastNodegroup = order.findLastIndex((entry) => entry.startsWith('UpdateNodegroupVersion'));
    const secondRefresh = order.findLastIndex((entry) => entry === `StartInstanceRefresh ${GROUP}`);
    const kubeProxy = order.findIndex((entry) => entry.startsWith('UpdateAddon') && entry.includes('kube-proxy'));
    expect(lastNodegroup).toBeGreaterThan(-1);
    expect(secondRefresh).toBeGreaterThan(lastNodegroup);
    expect(kubeProxy).toBeGreaterThan(secondRefresh);
    // eksops's drain hook is on the group before its first refresh starts, and put once (drain/hook.ts).
    expect(order.indexOf(`PutLifecycleHook ${GROUP}`)).toBeGreaterThan(-1);
    expect(order.indexOf(`PutLifecycleHook ${GROUP}`)).toBeLessThan(order.indexOf(`StartInstanceRefresh ${GROUP}`));
    expect(autoscalingCalls(box, 'PutLifecycleHook')).toBe(1);

    const start = box.slack.messages[0]?.body ?? '';
    expect(start).toContain(`self-managed groups → 1.32 (instance refresh): legacy-workers ${oldAmi} → ${ami132}`);
    expect(start).toContain(`self-managed groups → 1.33 (instance refresh): legacy-workers ${ami132} → ${ami133}`);
    expect(slack(box)).toMatch(new RegExp(`:white_check_mark: \`prod-eu\` self-managed groups → 1.33 \\(instance refresh\\): legacy-workers ${ami132} → ${ami133} — done in \\d+ min`));
  });

  it('stop the run when a refresh fails, with its reason in Slack; a re-run after the fix finishes the group without another version', async () => {
    const { box, oldAmi, templateId } = await fleet({ seed: { version: '1.33' } });
    const ami133 = await recommended(box, '1.33');
    const before = groupState(box).instanceIds;
    box.aws.account.service(SandboxAutoScaling).planRefreshFailure((name) => name === GROUP, { reason: 'Instance i-0abc failed to become healthy: ELB health checks failed (instance refresh)' });

    const failed = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('UpgradeStopped');
    expect(slack(box)).toMatch(/Upgrade of prod-eu stopped/);
    expect(slack(box)).toContain('`InstanceRefreshFailed` autoscaling/legacy-workers: Instance i-0abc failed to become healthy: ELB health checks failed (instance refresh)');
    expect(slack(box)).toContain('the group stays on its old launch template version');
    // The group keeps its configuration; the refresh replaced one instance before it stopped.
    const halfway = groupState(box);
    expect(halfway.version).toBe('1');
    expect([...halfway.instanceAmis].sort()).toEqual([ami133, oldAmi, oldAmi].sort());

    const rerun = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(rerun.status).toBe('SUCCEEDED');
    const after = groupState(box);
    expect(after).toMatchObject({ version: '2', instanceAmis: [ami133, ami133, ami133] });
    // The same version again (ClientToken): no third one.
    expect(box.aws.account.service(SandboxEc2LaunchTemplates).versionsOf(box.aws.here, templateId).map((version) => [version.number, version.imageId])).toEqual([
      [1, oldAmi],
      [2, ami133],
    ]);
    expect(ec2Calls(box, 'CreateLaunchTemplateVersion')).toBe(2);
    // SkipMatching: the instance replaced by the failed refresh was kept; only the two on the old AMI were replaced.
    const keptFromFailure = halfway.instanceIds.filter((id) => !before.includes(id));
    expect(keptFromFailure).toHaveLength(1);
    expect(after.instanceIds).toEqual(expect.arrayContaining(keptFromFailure));
    expect(autoscalingCalls(box, 'StartInstanceRefresh')).toBe(2);
  });

  it('adopt a refresh already running instead of starting another, then find the group level', async () => {
    const { box, templateId } = await fleet({ seed: { version: '1.33' } });
    const ami133 = await recommended(box, '1.33');
    // Someone publishes a version with the recommended AMI by hand and starts the refresh before the window.
    const version = box.aws.account.service(SandboxEc2LaunchTemplates).addVersion(box.aws.here, templateId, { ImageId: ami133 });
    await box.aws.clients.client(AutoScalingClient).send(new StartInstanceRefreshCommand({ AutoScalingGroupName: GROUP, DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: String(version) } }, Preferences: { SkipMatching: true } }));

    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(autoscalingCalls(box, 'StartInstanceRefresh')).toBe(1);
    expect(ec2Calls(box, 'CreateLaunchTemplateVersion')).toBe(0);
    expect(groupState(box)).toMatchObject({ version: String(version), instanceAmis: [ami133, ami133, ami133] });
    expect(box.lambda.invocations.filter((invocation) => invocation.functionName === 'upgradeAdvance').map((invocation) => (invocation.result as { current?: { label?: string } } | undefined)?.current?.label)).toContain(`updates already running: instance refresh of ${GROUP}`);
  });

  it('adopt a refresh that started between observing and starting (InstanceRefreshInProgress), without a second one', async () => {
    const { box, oldAmi, templateId } = await fleet({ seed: { version: '1.33' } });
    const ami133 = await recommended(box, '1.33');
    const autoscaling = box.aws.clients.client(AutoScalingClient);
    const theirs = (await autoscaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: GROUP }))).InstanceRefreshId;
    const clients = { eks: box.aws.clients.client(EKSClient), ec2: box.aws.clients.client(EC2Client), autoscaling, ssm: box.aws.clients.client(SSMClient) };
    const adopted = await refreshGroup(clients, { name: GROUP, launchTemplate: { id: templateId, name: 'legacy-workers-lt' }, sourceVersion: '1', fromImage: oldAmi, toImage: ami133, templateCurrent: false, mixedInstances: false, desiredCapacity: 3, warmupSeconds: 120 });
    expect(adopted).toBe(theirs);
    expect((await autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: GROUP }))).InstanceRefreshes?.map((refresh) => refresh.InstanceRefreshId)).toEqual([theirs]);
  });

  it('put no drain hook where nodeDrain hears nothing (a cluster in another account): the refresh goes on undrained', async () => {
    const { box, oldAmi, templateId } = await fleet({ seed: { version: '1.33' } });
    const ami133 = await recommended(box, '1.33');
    const clients = { eks: box.aws.clients.client(EKSClient), ec2: box.aws.clients.client(EC2Client), autoscaling: box.aws.clients.client(AutoScalingClient), ssm: box.aws.clients.client(SSMClient) };
    const change = { name: GROUP, launchTemplate: { id: templateId, name: 'legacy-workers-lt' }, sourceVersion: '1', fromImage: oldAmi, toImage: ami133, templateCurrent: false, mixedInstances: false, desiredCapacity: 3, warmupSeconds: 120 };
    expect(await refreshGroup(clients, change, { drain: false })).toMatch(/\S/);
    expect(autoscalingCalls(box, 'PutLifecycleHook')).toBe(0);
    expect((await clients.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: GROUP }))).LifecycleHooks ?? []).toEqual([]);
  });

  it('do nothing on a re-run when the group is level', async () => {
    const { box } = await fleet({ seed: { version: '1.33' } });
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    const [refreshes, versions, messages] = [autoscalingCalls(box, 'StartInstanceRefresh'), ec2Calls(box, 'CreateLaunchTemplateVersion'), box.slack.messages.length];
    expect([refreshes, versions]).toEqual([1, 1]);

    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    expect(autoscalingCalls(box, 'StartInstanceRefresh')).toBe(refreshes);
    expect(ec2Calls(box, 'CreateLaunchTemplateVersion')).toBe(versions);
    expect(autoscalingCalls(box, 'PutLifecycleHook')).toBe(1);
    expect(box.slack.messages.length).toBe(messages);
  });

  it('refresh a mixed instances group through its policy, keeping its instance types and distribution', async () => {
    const { box, templateId } = await fleet({ seed: { version: '1.33' } });
    const ami133 = await recommended(box, '1.33');
    const policy = {
      LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: '1' }, Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm7i.large' }] },
      InstancesDistribution: { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'price-capacity-optimized' },
    };
    box.aws.account.service(SandboxAutoScaling).seedGroup(box.aws.here, 'spot-workers', { tags: { 'kubernetes.io/cluster/prod-eu': 'owned' }, instances: 2, mixedInstancesPolicy: policy, defaultInstanceWarmup: 60 });

    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    const group = box.aws.account.service(SandboxAutoScaling).groupOf(box.aws.here, 'spot-workers');
    expect(group?.mixedInstancesPolicy).toEqual({ ...policy, LaunchTemplate: { ...policy.LaunchTemplate, LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: '2' } } });
    expect(groupState(box, 'spot-workers').instanceAmis).toEqual([ami133, ami133]);
  });

  it('leave a group they cannot refresh alone, and say why', async () => {
    const { box } = await fleet({ seed: { version: '1.33' } });
    box.aws.account.service(SandboxAutoScaling).seedGroup(box.aws.here, 'lc-workers', { tags: { 'kubernetes.io/cluster/prod-eu': 'owned' }, instances: 1, launchConfigurationName: 'lc-workers-2019' });
    box.aws.account.service(SandboxAutoScaling).seedGroup(box.aws.here, 'orphan-workers', { tags: { 'kubernetes.io/cluster/prod-eu': 'owned' }, instances: 1, launchTemplate: { LaunchTemplateId: 'lt-0deleted', Version: '4' } });
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' })).status).toBe('SUCCEEDED');
    expect(slack(box)).toMatch(/WARN\* `autoscaling\/lc-workers` self-managed node group: eksops will not refresh it: it launches from a launch configuration/);
    expect(slack(box)).toMatch(/WARN\* `autoscaling\/orphan-workers` self-managed node group: eksops will not refresh it: its launch template could not be read/);
    // legacy-workers is refreshed at 1.33, then at 1.34; lc-workers never.
    expect(box.aws.account.changes.filter((change) => change.action === 'StartInstanceRefresh').map((change) => change.resource)).toEqual([GROUP, GROUP]);
    expect(box.aws.account.service(SandboxAutoScaling).groupOf(box.aws.here, 'lc-workers')?.launchConfigurationName).toBe('lc-workers-2019');
  });
});

describe('self-managed node groups without upgrade.refreshSelfManaged', () => {
  it('are left alone, and the plan says what opting in would do', async () => {
    const { box } = await fleet({ refreshSelfManaged: false });
    const ami133 = await recommended(box, '1.33');
    expect((await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' })).status).toBe('SUCCEEDED');
    expect(autoscalingCalls(box, 'StartInstanceRefresh')).toBe(0);
    expect(ec2Calls(box, 'CreateLaunchTemplateVersion')).toBe(0);
    expect(groupState(box).version).toBe('1');
    expect(slack(box)).toContain('INFO* `autoscaling/legacy-workers` self-managed node group: eksops does not upgrade it (upgrade.refreshSelfManaged is off)');
    expect(slack(box)).toContain(`roll it onto ${ami133}, the recommended AL2023 standard x86_64 AMI for 1.33`);
  });
});

/** The rules of the sandbox's Auto Scaling, EC2 and SSM that the refresh relies on, each as AWS documents it. */
describe('the sandbox account, for self-managed groups', () => {
  it('publishes the public EKS AMI parameters (AL2 up to 1.32 only) and refuses to create parameters under aws/', async () => {
    const { box } = await fleet();
    const ssm = box.aws.clients.client(SSMClient);
    const answer = await ssm.send(new GetParametersCommand({ Names: ['/aws/service/eks/optimized-ami/1.32/amazon-linux-2/recommended/image_id', '/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/image_id', '/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id'] }));
    expect(answer.Parameters?.map((parameter) => [parameter.Name, parameter.ARN?.split(':')[4]])).toEqual([
      ['/aws/service/eks/optimized-ami/1.32/amazon-linux-2/recommended/image_id', ''],
      ['/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id', ''],
    ]);
    expect(answer.InvalidParameters).toEqual(['/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/image_id']);
    const bottlerocket = answer.Parameters?.[1]?.Value ?? '';
    const image = (await box.aws.clients.client(EC2Client).send(new DescribeImagesCommand({ ImageIds: [bottlerocket] }))).Images?.[0];
    expect([image?.Name, image?.Architecture, image?.ImageOwnerAlias]).toEqual([expect.stringMatching(/^bottlerocket-aws-k8s-1\.33-aarch64-v/), 'arm64', 'amazon']);
    await expect(ssm.send(new PutParameterCommand({ Name: '/aws/service/eks/mine', Value: 'x', Type: 'String' }))).rejects.toBeInstanceOf(ValidationException);
  });

  it('makes launch template versions from a source version, idempotent on ClientToken, and resolves $Latest and $Default', async () => {
    const { box, oldAmi, templateId } = await fleet();
    const ec2 = box.aws.clients.client(EC2Client);
    const create = (imageId: string) => ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: templateId, SourceVersion: '1', LaunchTemplateData: { ImageId: imageId }, ClientToken: 'token-1' }));
    const first = await create('ami-0new');
    expect(first.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, DefaultVersion: false, LaunchTemplateData: { ImageId: 'ami-0new', InstanceType: 'm6i.large' } });
    expect((await create('ami-0new')).LaunchTemplateVersion?.VersionNumber).toBe(2);
    await expect(create('ami-0other')).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
    const resolved = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: ['$Latest', '$Default'] }));
    expect(resolved.LaunchTemplateVersions?.map((version) => [version.VersionNumber, version.LaunchTemplateData?.ImageId])).toEqual([
      [2, 'ami-0new'],
      [1, oldAmi],
    ]);
    await expect(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: ['9'] }))).rejects.toBeInstanceOf(EC2ServiceException);
  });

  it('runs one instance refresh at a time on virtual time, and gives the group its desired configuration only when it succeeds', async () => {
    const { box, templateId } = await fleet();
    const autoscaling = box.aws.clients.client(AutoScalingClient);
    const version = box.aws.account.service(SandboxEc2LaunchTemplates).addVersion(box.aws.here, templateId, { ImageId: 'ami-0new' });
    const start = () => autoscaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: GROUP, DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: String(version) } }, Preferences: { SkipMatching: true, InstanceWarmup: 60 } }));
    const status = async () => (await autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: GROUP }))).InstanceRefreshes?.[0]?.Status;
    const launchTemplate = async () => (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))).AutoScalingGroups?.[0]?.LaunchTemplate;
    await start();
    expect(await status()).toBe('Pending');
    await expect(start()).rejects.toBeInstanceOf(InstanceRefreshInProgressFault);
    box.aws.clock.advance(5 * 60_000);
    expect(await status()).toBe('InProgress');
    expect(await launchTemplate()).toEqual({ LaunchTemplateId: templateId, Version: '1' });
    // 3 instances, one at a time (10 % of 3 is less than one): 1 min pending + 3 × (3 min launch + 1 min warmup).
    box.aws.clock.advance(8 * 60_000);
    expect(await status()).toBe('Successful');
    expect(await launchTemplate()).toEqual({ LaunchTemplateId: templateId, Version: String(version) });
    expect(groupState(box).instanceAmis).toEqual(['ami-0new', 'ami-0new', 'ami-0new']);
  });
});

