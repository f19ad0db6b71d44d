import type { UnmanagedCapacityObservation } from '../observe-capacity.ts';
import { type CapacityKind, isPartError, type KubeletGroup, type KubernetesObservation, MAX_POOLS_NAMED, MAX_VERSIONS_KEPT } from '../observe-kubernetes.ts';
import type { ClusterSnapshot } from '../snapshot.ts';
import { maxKubeletSkew, minorOf } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';

/**
 * Every node counts for the kubelet skew, not only managed node groups': Fargate, Karpenter, EKS Auto Mode, hybrid
 * and self-managed nodes are not in DescribeNodegroup. The version skew policy (kubernetes.io/releases/
 * version-skew-policy): a kubelet must not be newer than kube-apiserver, and may be up to three minors older (two
 * before 1.28, versions.ts maxKubeletSkew). A hop that would leave any kubelet beyond that blocks.
 *
 * With upgrade.kubernetesChecks the kubelets are read from the Nodes API (`status.nodeInfo.kubeletVersion`).
 * Without it, what can be seen from AWS is reported as unknown skew: the cluster's Fargate profiles, and instances
 * Karpenter launched for it (observe-capacity.ts).
 */

export { kubeletMinor } from '../observe-kubernetes.ts';

const CAPACITY_NAMES: Record<CapacityKind, string> = {
  fargate: 'Fargate',
  auto: 'EKS Auto Mode',
  hybrid: 'hybrid',
  karpenter: 'Karpenter',
  'managed-nodegroup': 'managed node group',
  'self-managed': 'self-managed',
};

/** Why the node is behind, and what moves its kubelet, per kind of capacity. */
function skewRemedy(group: KubeletGroup, hop: HopContext): string {
  switch (group.capacity) {
    case 'fargate':
      // A Fargate pod gets the kubelet of the control plane's version when it starts, and keeps it.
      return `restart the pods on these Fargate nodes (kubectl rollout restart of their deployments) so they start on ${hop.from}'s kubelet, before the hop; restart them again after each hop`;
    case 'auto':
      return 'EKS Auto Mode replaces its nodes after a control-plane upgrade, within their node pools\' disruption budgets: let it finish (or delete the old NodeClaims) before the next hop';
    case 'karpenter':
      return `let Karpenter replace these nodes with ones for ${hop.from} (drift: an EC2NodeClass amiSelectorTerms alias such as al2023@latest follows the control plane; a pinned AMI must be changed), or delete their NodeClaims, before the hop`;
    case 'hybrid':
      return `upgrade the kubelet of these hybrid nodes (nodeadm upgrade ${hop.from} on each, after draining it) before the hop`;
    case 'managed-nodegroup':
      return `upgrade the node group${group.pools.length > 1 ? 's' : ''} (${group.pools.join(', ') || 'see the nodes'}) to ${hop.from} first (UpdateNodegroupVersion)`;
    case 'self-managed':
      return `replace these nodes with ones on an AMI for ${hop.from} (EKS-optimized: SSM /aws/service/eks/optimized-ami/${hop.from}/…) before the hop`;
  }
}

function named(group: KubeletGroup): string {
  const more = group.count - group.nodes.length;
  return `${group.nodes.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function evidence(group: KubeletGroup): string {
  return [`kubelet ${group.kubeletVersions.map((version) => version || '(empty)').join(', ')}${group.kubeletVersions.length >= MAX_VERSIONS_KEPT ? ', …' : ''}`, `${group.count} node(s): ${named(group)}`, ...(group.pools.length ? [`pools: ${group.pools.join(', ')}`] : [])].join('; ');
}

/**
 * Managed node groups whose DescribeNodegroup version already puts them beyond the skew: checks/nodegroup-versions.ts
 * reports them (kubelet-skew) with the same remedy, so their nodes are not reported a second time here. Only when
 * every pool is named (fewer than MAX_POOLS_NAMED): a pool left unnamed may be one DescribeNodegroup does not cover.
 */
function reportedByNodegroup(group: KubeletGroup, cluster: ClusterSnapshot, hop: HopContext): boolean {
  if (group.capacity !== 'managed-nodegroup' || group.pools.length === 0 || group.pools.length >= MAX_POOLS_NAMED) return false;
  const allowed = maxKubeletSkew(hop.to);
  return group.pools.every((pool) => cluster.nodegroups.some((nodegroup) => nodegroup.name === pool && minorOf(hop.to) - minorOf(nodegroup.version) > allowed));
}

function groupFindings(group: KubeletGroup, hop: HopContext, cluster: ClusterSnapshot): Finding[] {
  const what = `${CAPACITY_NAMES[group.capacity]} node(s)`;
  const resource = `nodes/${group.capacity}${group.minor ? `/${group.minor}` : ''}`;
  if (group.minor === undefined) {
    return [{
      check: 'node-kubelet-unknown',
      severity: 'WARN',
      resource,
      message: `${group.count} ${what} report a kubelet version eksops cannot read: their skew after ${hop.from} → ${hop.to} is unknown`,
      evidence: evidence(group),
      remedy: 'check them with: kubectl get nodes -o wide (VERSION must be at most 3 minors behind the target, never ahead)',
    }];
  }
  const allowed = maxKubeletSkew(hop.to);
  const skew = minorOf(hop.to) - minorOf(group.minor);
  if (skew < 0) {
    return [{
      check: 'node-kubelet-skew',
      severity: 'BLOCK',
      resource,
      message: `${group.count} ${what} run kubelet ${group.minor}, newer than the API server will be after ${hop.from} → ${hop.to} (a kubelet must not be newer than kube-apiserver)`,
      evidence: evidence(group),
      remedy: `replace these nodes with ones for ${hop.to} or older; a kubelet ahead of the control plane is not supported`,
    }];
  }
  if (skew > allowed) {
    if (reportedByNodegroup(group, cluster, hop)) return [];
    return [{
      check: 'node-kubelet-skew',
      severity: 'BLOCK',
      resource,
      message: `${group.count} ${what} run kubelet ${group.minor}: after ${hop.from} → ${hop.to} they would be ${skew} minors behind the API server (at most ${allowed})`,
      evidence: evidence(group),
      remedy: skewRemedy(group, hop),
    }];
  }
  if (group.capacity === 'fargate' && skew > 0) {
    return [{
      check: 'fargate-kubelet',
      severity: 'INFO',
      resource,
      message: `${group.count} Fargate node(s) keep kubelet ${group.minor} until their pods restart: eksops cannot restart them`,
      evidence: evidence(group),
      remedy: `after the hop, restart the pods on Fargate (kubectl rollout restart) so they run ${hop.to}'s kubelet before they fall beyond the skew policy`,
    }];
  }
  return [];
}

const EXACT_CHECK = 'turn on upgrade.kubernetesChecks (with read access to nodes) for the exact check of every kubelet, or look yourself: kubectl get nodes -o wide';

function unknownSkew(cluster: ClusterSnapshot, capacity: UnmanagedCapacityObservation | undefined, hop: HopContext): Finding[] {
  const findings: Finding[] = [];
  if (cluster.fargateProfiles.length > 0) {
    findings.push({
      check: 'fargate-skew-unknown',
      severity: 'WARN',
      resource: 'cluster',
      message: `Fargate profiles: each Fargate pod runs the kubelet of the version current when it started, so pods started before earlier upgrades may be beyond the skew policy after ${hop.from} → ${hop.to}`,
      evidence: `Fargate profiles: ${cluster.fargateProfiles.join(', ')}; their kubelets were not read`,
      remedy: `${EXACT_CHECK} (-l eks.amazonaws.com/compute-type=fargate); restart old Fargate pods before the hop`,
    });
  }
  if (capacity === undefined) return findings;
  if ('error' in capacity) {
    findings.push({ check: 'capacity-unreadable', severity: 'WARN', resource: 'cluster', message: 'Karpenter instances not looked for: EC2 could not be read', evidence: capacity.error, remedy: `allow eksops ec2:DescribeInstances, or ${EXACT_CHECK}` });
  } else if (capacity.karpenterInstances > 0) {
    const more = capacity.karpenterInstances - capacity.instanceIds.length;
    findings.push({
      check: 'karpenter-skew-unknown',
      severity: 'WARN',
      resource: 'cluster',
      message: `${capacity.karpenterInstances}${capacity.truncated ? '+' : ''} instance(s) launched by Karpenter: not in any managed node group, their kubelets' skew after ${hop.from} → ${hop.to} is unknown`,
      evidence: `tag karpenter.sh/nodepool (${capacity.nodepools.join(', ') || 'no value'}): ${capacity.instanceIds.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
      remedy: `${EXACT_CHECK} (-l karpenter.sh/nodepool)`,
    });
  }
  return findings;
}

/** The node-skew findings of one hop. Pure. `observation` absent: kubernetesChecks off; `capacity` absent: not read. */
export function checkNodeSkew(cluster: ClusterSnapshot, observation: KubernetesObservation | undefined, capacity: UnmanagedCapacityObservation | undefined, hop: HopContext): Finding[] {
  const nodes = observation?.nodes;
  if (nodes === undefined) return unknownSkew(cluster, capacity, hop);
  if (isPartError(nodes)) {
    return [
      { check: 'nodes-unreadable', severity: 'WARN', resource: 'cluster', message: 'kubelet versions not checked: the Nodes API could not be read', evidence: nodes.error, remedy: nodes.remedy ?? 'allow eksops get and list on nodes (a ClusterRole bound to a group of its access entry)' },
      ...unknownSkew(cluster, capacity, hop),
    ];
  }
  const findings = nodes.groups.flatMap((group) => groupFindings(group, hop, cluster));
  if (nodes.truncatedAt !== undefined) {
    findings.push({ check: 'nodes-truncated', severity: 'WARN', resource: 'cluster', message: `only the first ${nodes.truncatedAt} nodes were checked`, evidence: `the cluster has more than ${nodes.truncatedAt} nodes`, remedy: 'check the others with: kubectl get nodes -o wide' });
  }
  return findings;
}
