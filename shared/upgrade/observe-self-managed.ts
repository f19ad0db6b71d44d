import { type AutoScalingGroup, paginateDescribeAutoScalingGroups, paginateDescribeInstanceRefreshes } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplateVersionsCommand, paginateDescribeImages, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { parseEksAmiName, recommendedAmiParameter } from './eks-amis.ts';
import type { UpgradeClients } from './clients.ts';
import { chunk } from '../collections/chunk.ts';
import { mapBounded } from '../concurrency/map-bounded.ts';
import { collect, DESCRIBE_CONCURRENCY } from './paging.ts';
import type { LaunchTemplateUse, RunningUpdate, SelfManagedGroupSnapshot, SelfManagedObstacle } from './snapshot.ts';

/** Instance refresh statuses during which another refresh is refused (InstanceRefreshInProgress): it runs. */
export const ACTIVE_REFRESH_STATUSES = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

// API limits: DescribeImages/DescribeInstances take at most 200 values per filter; GetParameters 10 names.
const FILTER_VALUES = 200;
const PARAMETERS_PER_CALL = 10;

interface GroupLaunch {
  group: AutoScalingGroup;
  spec?: { id?: string; name?: string; version?: string; mixedInstances: boolean };
  obstacle?: SelfManagedObstacle;
}

/**
 * Self-managed node groups: Auto Scaling groups tagged kubernetes.io/cluster/<name> (as the EKS user guide asks
 * of self-managed nodes) that EKS did not create for a managed node group (no eks:nodegroup-name tag). For each:
 * the launch template version it uses and that version's AMI, the AMIs its instances run, the recommended
 * EKS-optimized AMI of the same kind for each of `versions`, and an instance refresh already running. Read-only.
 */
export async function observeSelfManaged(clients: UpgradeClients, clusterName: string, versions: readonly string[]): Promise<{ groups: SelfManagedGroupSnapshot[]; running: RunningUpdate[] }> {
  const all = await collect(paginateDescribeAutoScalingGroups({ client: clients.autoscaling }, { Filters: [{ Name: 'tag-key', Values: [`kubernetes.io/cluster/${clusterName}`] }] }), (page) => page.AutoScalingGroups ?? []);
  const groups = all.filter((group) => !(group.Tags ?? []).some((tag) => tag.Key === 'eks:nodegroup-name')).sort((a, b) => (a.AutoScalingGroupName ?? '').localeCompare(b.AutoScalingGroupName ?? ''));
  if (groups.length === 0) return { groups: [], running: [] };

  const launches = groups.map(launchOf);
  const [templates, running] = await Promise.all([mapBounded(launches, DESCRIBE_CONCURRENCY, (launch) => resolveTemplate(clients, launch)), mapBounded(groups, DESCRIBE_CONCURRENCY, (group) => activeRefresh(clients, group.AutoScalingGroupName ?? ''))]);
  const imageIds = [...new Set(templates.flatMap((template) => (template?.imageId && !isParameterReference(template.imageId) ? [template.imageId] : [])))];
  const [imageNames, instanceImages] = await Promise.all([readImageNames(clients, imageIds), readInstanceImages(clients, groups.map((group) => group.AutoScalingGroupName ?? ''))]);

  const snapshots = groups.map((group, index): SelfManagedGroupSnapshot => {
    const launch = launches[index] as GroupLaunch;
    const template = templates[index];
    const obstacle = launch.obstacle ?? (template && isParameterReference(template.imageId) ? 'ssm-parameter-ami' : undefined);
    const imageName = template ? imageNames.get(template.imageId) : undefined;
    const ami = imageName ? parseEksAmiName(imageName) : undefined;
    const launchTemplate: LaunchTemplateUse | undefined = template ? { ...template, ...(imageName ? { imageName } : {}), ...(ami ? { ami } : {}) } : undefined;
    return {
      name: group.AutoScalingGroupName ?? '',
      desiredCapacity: group.DesiredCapacity ?? 0,
      ...(group.DefaultInstanceWarmup !== undefined && group.DefaultInstanceWarmup >= 0 ? { defaultInstanceWarmup: group.DefaultInstanceWarmup } : {}),
      healthCheckGracePeriod: group.HealthCheckGracePeriod ?? 0,
      ...(launchTemplate ? { launchTemplate } : {}),
      ...(obstacle ? { obstacle } : {}),
      outdatedInstances: template ? countOutdated(group, instanceImages, template.imageId) : 0,
      recommendedImages: {},
    };
  });
  const recommended = await readRecommended(clients, snapshots, versions);
  for (const snapshot of snapshots) {
    const ami = snapshot.launchTemplate?.ami;
    if (!ami || snapshot.obstacle) continue;
    snapshot.recommendedImages = Object.fromEntries(versions.flatMap((version) => {
      const image = recommended.get(recommendedAmiParameter(ami, version));
      return image ? [[version, image]] : [];
    }));
  }
  return { groups: snapshots, running: running.flatMap((refresh) => (refresh ? [refresh] : [])) };
}

/**
 * What the group launches from. A launch configuration cannot be the desired configuration of an instance
 * refresh (DesiredConfiguration takes a LaunchTemplate or a MixedInstancesPolicy), and a mixed instances policy
 * whose overrides name templates of their own (an instance type per architecture) has several AMIs to move.
 */
function launchOf(group: AutoScalingGroup): GroupLaunch {
  if (group.LaunchConfigurationName) return { group, obstacle: 'launch-configuration' };
  const mixed = group.MixedInstancesPolicy?.LaunchTemplate;
  if (mixed) {
    if ((mixed.Overrides ?? []).some((override) => override.LaunchTemplateSpecification)) return { group, obstacle: 'per-type-launch-templates' };
    const spec = mixed.LaunchTemplateSpecification;
    return spec ? { group, spec: { ...specOf(spec), mixedInstances: true } } : { group, obstacle: 'no-launch-template' };
  }
  return group.LaunchTemplate ? { group, spec: { ...specOf(group.LaunchTemplate), mixedInstances: false } } : { group, obstacle: 'no-launch-template' };
}

function specOf(spec: { LaunchTemplateId?: string | undefined; LaunchTemplateName?: string | undefined; Version?: string | undefined }): { id?: string; name?: string; version?: string } {
  return { ...(spec.LaunchTemplateId ? { id: spec.LaunchTemplateId } : {}), ...(spec.LaunchTemplateName ? { name: spec.LaunchTemplateName } : {}), ...(spec.Version ? { version: spec.Version } : {}) };
}

/** The template version the group uses now: `$Latest` and `$Default` resolved (a group naming no version uses `$Default`). */
async function resolveTemplate(clients: UpgradeClients, launch: GroupLaunch): Promise<Omit<LaunchTemplateUse, 'imageName' | 'ami'> | undefined> {
  const spec = launch.spec;
  if (!spec) return undefined;
  const version = spec.version ?? '$Default';
  let found;
  try {
    found = (await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ ...(spec.id ? { LaunchTemplateId: spec.id } : { LaunchTemplateName: spec.name }), Versions: [version] }))).LaunchTemplateVersions?.[0];
  } catch (error) {
    // A template (or version) deleted under the group: the group is reported as unreadable, the upgrade goes on.
    if ((error as Error).name.startsWith('InvalidLaunchTemplate')) return undefined;
    throw error;
  }
  if (!found) return undefined;
  return {
    id: found.LaunchTemplateId ?? spec.id ?? '',
    name: found.LaunchTemplateName ?? spec.name ?? '',
    version,
    versionNumber: String(found.VersionNumber ?? ''),
    mixedInstances: spec.mixedInstances,
    imageId: found.LaunchTemplateData?.ImageId ?? '',
  };
}

/** A launch template may name its AMI as `resolve:ssm:<parameter>`: the parameter, not eksops, decides the AMI. */
function isParameterReference(imageId: string): boolean {
  return imageId.startsWith('resolve:ssm:');
}

/** An instance refresh of the group that is still running: adopted like an EKS update someone else started. */
async function activeRefresh(clients: UpgradeClients, groupName: string): Promise<RunningUpdate | undefined> {
  for await (const page of paginateDescribeInstanceRefreshes({ client: clients.autoscaling }, { AutoScalingGroupName: groupName })) {
    const active = (page.InstanceRefreshes ?? []).find((refresh) => ACTIVE_REFRESH_STATUSES.has(refresh.Status ?? ''));
    if (active?.InstanceRefreshId) return { id: active.InstanceRefreshId, type: 'InstanceRefresh', autoScalingGroup: groupName };
  }
  return undefined;
}

/** AMI names, by id. A filter, not ImageIds: an AMI deregistered since is simply absent (ImageIds would fail the call). */
async function readImageNames(clients: UpgradeClients, imageIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const slice of chunk(imageIds, FILTER_VALUES)) {
    // EKS-optimized AMIs are deprecated two years after release; deprecated ones are listed only when asked for.
    for await (const page of paginateDescribeImages({ client: clients.ec2 }, { Filters: [{ Name: 'image-id', Values: slice }], IncludeDeprecated: true })) {
      for (const image of page.Images ?? []) if (image.ImageId && image.Name) names.set(image.ImageId, image.Name);
    }
  }
  return names;
}

/** The AMI of each pending or running instance of the groups (Auto Scaling tags its instances aws:autoscaling:groupName). */
async function readInstanceImages(clients: UpgradeClients, groupNames: readonly string[]): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  for (const slice of chunk(groupNames, FILTER_VALUES)) {
    const filters = [
      { Name: 'tag:aws:autoscaling:groupName', Values: slice },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ];
    for await (const page of paginateDescribeInstances({ client: clients.ec2 }, { Filters: filters, MaxResults: 1000 })) {
      for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) if (instance.InstanceId && instance.ImageId) images.set(instance.InstanceId, instance.ImageId);
    }
  }
  return images;
}

function countOutdated(group: AutoScalingGroup, instanceImages: Map<string, string>, templateImage: string): number {
  return (group.Instances ?? []).filter((instance) => {
    const image = instanceImages.get(instance.InstanceId ?? '');
    return instance.LifecycleState === 'InService' && !instance.ProtectedFromScaleIn && image !== undefined && image !== templateImage;
  }).length;
}

/** The public SSM parameters of every kind of AMI the groups run, for every version; a parameter AWS does not publish is simply absent. */
async function readRecommended(clients: UpgradeClients, groups: readonly SelfManagedGroupSnapshot[], versions: readonly string[]): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const { ssm } = clients;
  const names = new Set<string>();
  for (const group of groups) {
    const ami = group.obstacle ? undefined : group.launchTemplate?.ami;
    if (ami) for (const version of versions) names.add(recommendedAmiParameter(ami, version));
  }
  for (const slice of chunk([...names], PARAMETERS_PER_CALL)) {
    // GetParameters lists unknown names under InvalidParameters instead of failing: an AMI line AWS stopped
    // publishing (AL2 after 1.32) is an answer, not an error.
    const answer = await ssm.send(new GetParametersCommand({ Names: slice }));
    for (const parameter of answer.Parameters ?? []) if (parameter.Name && parameter.Value) values.set(parameter.Name, parameter.Value);
  }
  return values;
}
