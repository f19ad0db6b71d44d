import type { Taint } from '@aws-sdk/client-eks';
import type { AccountRegion } from './account/account.ts';
import type { SandboxEks } from './account/services/eks.ts';
import type { SandboxEksNodegroups } from './account/services/eks-nodegroups.ts';
import type { SandboxAutoScaling } from './account/services/autoscaling.ts';
import type { SandboxEc2 } from './account/services/ec2.ts';

export interface FleetServices {
  eks: SandboxEks;
  eksNodegroups: SandboxEksNodegroups;
  ec2: SandboxEc2;
  autoscaling: SandboxAutoScaling;
}

export interface ManagedGroupSpec {
  name: string;
  instances: number;
  tags?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  availabilityZones?: string[];
  metadataTags?: boolean;
  status?: 'ACTIVE' | 'CREATING';
}

/** The tags EKS puts on a managed node group's ASG, all with PropagateAtLaunch (as EKS creates them). */
export function eksAsgTags(cluster: string, nodegroup: string): Record<string, string> {
  return {
    'eks:cluster-name': cluster,
    'eks:nodegroup-name': nodegroup,
    'k8s.io/cluster-autoscaler/enabled': 'true',
    [`k8s.io/cluster-autoscaler/${cluster}`]: 'owned',
    [`kubernetes.io/cluster/${cluster}`]: 'owned',
  };
}

/** A managed node group as EKS leaves it: its tags on the node group only, none on the ASG, instances or volumes. */
export function seedManagedGroup(services: FleetServices, where: AccountRegion, cluster: string, spec: ManagedGroupSpec): { asgName: string; instanceIds: string[] } {
  const asgName = `eks-${spec.name}-${cluster}`;
  services.eksNodegroups.seedNodegroup(where, cluster, spec.name, {
    tags: spec.tags ?? {},
    labels: spec.labels ?? {},
    taints: spec.taints ?? [],
    autoScalingGroupName: asgName,
    ...(spec.status ? { status: spec.status } : {}),
  });
  const group = services.autoscaling.seedGroup(where, asgName, {
    tags: eksAsgTags(cluster, spec.name),
    availabilityZones: spec.availabilityZones ?? [`${where.region}a`],
    instances: spec.instances,
    metadataTags: spec.metadataTags ?? false,
  });
  return { asgName, instanceIds: [...group.instanceIds] };
}

export interface FleetSpec {
  clusters: number;
  groupsPerCluster: number;
  instancesPerGroup: number;
}

/**
 * A fleet of managed node groups as EKS leaves them (node group tags and labels not on the ASGs, instances,
 * volumes or ENIs). Reconcile it once to converge it, then `driftFleet` to make a share of it drift. Used by
 * the bench and the scale tests.
 */
export function seedFleet(services: FleetServices, where: AccountRegion, spec: FleetSpec): { clusters: string[]; groups: { cluster: string; nodegroup: string; asgName: string }[] } {
  const clusters: string[] = [];
  const groups: { cluster: string; nodegroup: string; asgName: string }[] = [];
  for (let c = 0; c < spec.clusters; c += 1) {
    const cluster = `fleet-${String(c).padStart(2, '0')}`;
    services.eks.seedCluster(where, cluster, { version: '1.33' });
    clusters.push(cluster);
    for (let g = 0; g < spec.groupsPerCluster; g += 1) {
      const nodegroup = `ng-${String(g).padStart(3, '0')}`;
      const { asgName } = seedManagedGroup(services, where, cluster, { name: nodegroup, instances: spec.instancesPerGroup, tags: { team: `team-${g % 7}`, 'cost-center': `cc-${c}` }, labels: { workload: `w${g % 3}` } });
      groups.push({ cluster, nodegroup, asgName });
    }
  }
  return { clusters, groups };
}

/** Adds a tag to the node groups of `share` of the groups (spread evenly): what makes a converged fleet drift. */
export function driftFleet(services: FleetServices, where: AccountRegion, groups: readonly { cluster: string; nodegroup: string }[], share: number): number {
  let drifted = 0;
  groups.forEach((group, index) => {
    if ((index % 10) >= Math.round(share * 10)) return;
    const nodegroup = services.eksNodegroups.nodegroupOf(where, group.cluster, group.nodegroup);
    // A value of its own per group: the hardest case for grouping writes by identical tag sets.
    nodegroup.tags = { ...nodegroup.tags, release: `r2-${index}` };
    drifted += 1;
  });
  return drifted;
}
