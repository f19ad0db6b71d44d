import { describeAmiKind, recommendedAmiParameter } from '../eks-amis.ts';
import type { ClusterSnapshot, SelfManagedGroupSnapshot, SelfManagedObstacle } from '../snapshot.ts';
import { maxKubeletSkew, minorOf } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';
import { LAST_AL2_MINOR } from './node-images.ts';

/**
 * Self-managed node groups are not upgraded by EKS: their kubelets stay where they are (within the skew policy
 * for a while). With upgrade.refreshSelfManaged, eksops moves each onto the recommended EKS-optimized AMI of
 * the new version with an instance refresh after the managed node groups; the finding says what will happen to
 * each group, or why nothing will. A kubelet the hop would leave beyond the skew policy blocks the hop.
 */
export function checkSelfManaged(cluster: ClusterSnapshot, hop: HopContext, refreshRequested = false): Finding[] {
  return cluster.selfManagedGroups.flatMap((group) => [...kubeletSkew(group, hop, refreshRequested), refreshRequested ? refreshFinding(group, hop) : reportFinding(cluster, group, hop)]);
}

const AL2_ENDS = `Amazon Linux 2 AMIs end at 1.${LAST_AL2_MINOR}: move the group to AL2023 or Bottlerocket (a launch template version with that AMI and its node configuration) before this hop`;

function reportFinding(cluster: ClusterSnapshot, group: SelfManagedGroupSnapshot, hop: HopContext): Finding {
  const ami = group.obstacle ? undefined : group.launchTemplate?.ami;
  const recommended = group.recommendedImages[hop.to];
  return {
    check: 'self-managed',
    severity: 'INFO',
    resource: `autoscaling/${group.name}`,
    message: 'self-managed node group: eksops does not upgrade it (upgrade.refreshSelfManaged is off)',
    evidence: `${runsWhat(group)}; tag kubernetes.io/cluster/${cluster.name}, no eks:nodegroup-name`,
    remedy:
      ami && recommended
        ? `after the hop, roll it onto ${recommended}, the recommended ${describeAmiKind(ami)} AMI for ${hop.to}, before the next hop; or set upgrade.refreshSelfManaged: true and eksops does it with an instance refresh`
        : ami?.family === 'AL2' && minorOf(hop.to) > LAST_AL2_MINOR
          ? AL2_ENDS
          : `after the hop, roll it onto an AMI for ${hop.to} (EKS-optimized: SSM /aws/service/eks/optimized-ami/${hop.to}/…) before the next hop`,
  };
}

function refreshFinding(group: SelfManagedGroupSnapshot, hop: HopContext): Finding {
  const base = { check: 'self-managed', resource: `autoscaling/${group.name}`, evidence: runsWhat(group) };
  if (group.obstacle) return { ...base, severity: 'WARN', message: `self-managed node group: eksops will not refresh it: ${OBSTACLES[group.obstacle].why}`, remedy: OBSTACLES[group.obstacle].remedy(hop.to) };
  const template = group.launchTemplate;
  if (!template?.ami) {
    return {
      ...base,
      severity: 'WARN',
      message: `self-managed node group: eksops will not refresh it: ${template ? `its AMI ${template.imageId} is not an EKS-optimized one (custom, or no longer readable)` : 'its launch template could not be read'}`,
      remedy: `publish a launch template version with an AMI for ${hop.to} and start an instance refresh yourself after the hop, before the next one`,
    };
  }
  const recommended = group.recommendedImages[hop.to];
  const kind = describeAmiKind(template.ami);
  if (!recommended) {
    const parameter = recommendedAmiParameter(template.ami, hop.to);
    return {
      ...base,
      severity: 'WARN',
      message: `self-managed node group: no ${kind} AMI is published for ${hop.to}; eksops will not refresh it`,
      evidence: `${runsWhat(group)}; SSM ${parameter}: not found`,
      remedy:
        template.ami.family === 'AL2' && minorOf(hop.to) > LAST_AL2_MINOR
          ? AL2_ENDS
          : `check that AWS publishes ${parameter} in this region, or move the group to an AMI family that has ${hop.to}`,
    };
  }
  return {
    ...base,
    severity: 'INFO',
    message: `self-managed node group: after the managed node groups reach ${hop.to}, an instance refresh moves it onto ${recommended} (${kind})`,
    remedy: 'none needed: a new launch template version changes only the AMI, and the refresh replaces instances keeping 90 % of the group in service',
  };
}

/** Its kubelet (the Kubernetes version of its EKS-optimized AMI) after the hop, measured against the skew policy. */
function kubeletSkew(group: SelfManagedGroupSnapshot, hop: HopContext, refreshRequested: boolean): Finding[] {
  const version = group.obstacle ? undefined : group.launchTemplate?.ami?.kubernetesVersion;
  if (!version) return [];
  const skew = minorOf(hop.to) - minorOf(version);
  const allowed = maxKubeletSkew(hop.to);
  if (skew <= allowed) return [];
  return [
    {
      check: 'kubelet-skew',
      severity: 'BLOCK',
      resource: `autoscaling/${group.name}`,
      message: `kubelet ${version} (its AMI) would be ${skew} minors behind ${hop.to} (at most ${allowed})`,
      evidence: runsWhat(group),
      remedy: refreshRequested ? `no recommended AMI for ${hop.from} was found to refresh it onto: move it to a current AMI first` : `refresh it onto the EKS-optimized AMI for ${hop.from} first, or set upgrade.refreshSelfManaged: true`,
    },
  ];
}

function runsWhat(group: SelfManagedGroupSnapshot): string {
  const template = group.launchTemplate;
  if (!template) return group.obstacle ? OBSTACLES[group.obstacle].evidence : 'DescribeLaunchTemplateVersions: its launch template or version does not exist';
  const version = template.version === template.versionNumber ? `version ${template.versionNumber}` : `version ${template.versionNumber} (${template.version})`;
  const outdated = group.outdatedInstances > 0 ? `; ${group.outdatedInstances} instance(s) on another AMI` : '';
  return `launch template ${template.name || template.id} ${version}${template.mixedInstances ? ' (mixed instances policy)' : ''}: ${template.imageId}${template.imageName ? ` (${template.imageName})` : ''}${outdated}`;
}

/** Why a group cannot be refreshed, what was seen, and what its owner can do (Auto Scaling user guide, instance refresh). */
const OBSTACLES: Record<SelfManagedObstacle, { why: string; evidence: string; remedy: (to: string) => string }> = {
  'launch-configuration': {
    why: 'it launches from a launch configuration, which an instance refresh cannot take as its desired configuration',
    evidence: 'LaunchConfigurationName set',
    remedy: (to) => `migrate the group to a launch template (Auto Scaling user guide, "Migrate your Auto Scaling groups to launch templates"); until then roll it onto the EKS-optimized AMI for ${to} yourself`,
  },
  'per-type-launch-templates': {
    why: 'its mixed instances policy names a launch template per instance type (several AMIs)',
    evidence: 'MixedInstancesPolicy overrides with LaunchTemplateSpecification',
    remedy: (to) => `publish a version of each template with the EKS-optimized AMI for ${to} and start an instance refresh yourself`,
  },
  'ssm-parameter-ami': {
    why: 'its launch template resolves the AMI from an SSM parameter (resolve:ssm:…), which decides the AMI',
    evidence: 'ImageId resolve:ssm:…',
    remedy: (to) => `point the parameter (or the template) at the EKS-optimized AMI for ${to} and start an instance refresh`,
  },
  'no-launch-template': {
    why: 'it names no launch template eksops can read',
    evidence: 'no LaunchTemplate, MixedInstancesPolicy or LaunchConfigurationName',
    remedy: (to) => `roll it onto the EKS-optimized AMI for ${to} yourself`,
  },
};
