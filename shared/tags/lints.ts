import type { ClusterObservation, Lint } from './model.ts';
import type { TagPolicy } from './policy.ts';
import { clusterTag, NEAR_LIMIT, userTagCount } from './well-known-tags.ts';

// The EBS CSI driver tags the volumes it creates with this key (kubernetes-sigs/aws-ebs-csi-driver).
const CSI_VOLUME_TAG = 'ebs.csi.aws.com/cluster';
// Labels that legitimately differ between per-AZ groups; the cluster autoscaler's
// --balance-similar-node-groups ignores them too.
const ZONE_LABELS = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.ebs.csi.aws.com/zone']);

/**
 * Configuration smells, each with its evidence. Pure, like planCluster: a lint is reported, never acted on.
 */
export function lintCluster(cluster: ClusterObservation, _policy: TagPolicy): Lint[] {
  return [...ebsAvailabilityZones(cluster), ...unbalancedLabels(cluster), ...selfManagedWithoutClusterTag(cluster), ...metadataTagConflicts(cluster), ...nearTagLimit(cluster)];
}

/**
 * An EBS volume lives in one AZ. A group spanning several AZs whose pods use EBS volumes can scale up a node
 * in the wrong AZ (the pod stays Pending) and AZRebalance can terminate the node holding the volume. The
 * cluster autoscaler documentation recommends one group per AZ for stateful workloads.
 */
function ebsAvailabilityZones(cluster: ClusterObservation): Lint[] {
  const lints: Lint[] = [];
  const csiByInstance = new Map<string, string[]>();
  for (const attachment of cluster.attachments) {
    if (attachment.kind === 'volume' && attachment.tags[CSI_VOLUME_TAG] !== undefined) {
      csiByInstance.set(attachment.instanceId, [...(csiByInstance.get(attachment.instanceId) ?? []), attachment.id]);
    }
  }
  for (const asg of cluster.asgs) {
    if (asg.availabilityZones.length < 2) continue;
    const csiVolumes = asg.instanceIds.flatMap((id) => csiByInstance.get(id) ?? []);
    if (csiVolumes.length === 0 && cluster.ebsCsiDriver !== true) continue;
    const subject = asg.nodegroup ?? asg.name;
    const evidence = csiVolumes.length > 0 ? `EBS CSI volumes attached: ${csiVolumes.slice(0, 5).join(', ')}${csiVolumes.length > 5 ? ` (+${csiVolumes.length - 5})` : ''}` : 'the aws-ebs-csi-driver add-on is installed';
    lints.push({ rule: 'ebs-multi-az', subject, evidence: [`spans ${asg.availabilityZones.join(', ')}`, evidence] });
    if (!asg.suspendedProcesses.includes('AZRebalance')) {
      lints.push({ rule: 'az-rebalance', subject, evidence: [`ASG ${asg.name} does not suspend AZRebalance`, 'rebalancing can terminate the node that holds a volume'] });
    }
  }
  return lints;
}

/**
 * Per-AZ copies of one group (one AZ each, different AZs, same instance types, taints and label keys) whose
 * label values differ beyond the zone labels: the cluster autoscaler's --balance-similar-node-groups treats
 * them as different groups and will not balance them.
 */
function unbalancedLabels(cluster: ClusterObservation): Lint[] {
  const zoneOf = new Map<string, string>();
  for (const asg of cluster.asgs) if (asg.nodegroup && asg.availabilityZones.length === 1) zoneOf.set(asg.nodegroup, asg.availabilityZones[0] ?? '');
  const shapeOf = (group: ClusterObservation['nodegroups'][number]) =>
    JSON.stringify([[...group.instanceTypes].sort(), Object.keys(group.labels).filter((key) => !ZONE_LABELS.has(key)).sort(), group.taints.map((taint) => `${taint.key}=${taint.value ?? ''}:${taint.effect}`).sort()]);
  const byShape = new Map<string, ClusterObservation['nodegroups'][number][]>();
  for (const group of cluster.nodegroups) {
    if (!zoneOf.has(group.name)) continue;
    byShape.set(shapeOf(group), [...(byShape.get(shapeOf(group)) ?? []), group]);
  }
  const lints: Lint[] = [];
  for (const groups of byShape.values()) {
    if (groups.length < 2 || new Set(groups.map((group) => zoneOf.get(group.name))).size !== groups.length) continue;
    const labelSets = new Set(groups.map((group) => JSON.stringify(Object.entries(group.labels).filter(([key]) => !ZONE_LABELS.has(key)).sort())));
    if (labelSets.size > 1) {
      lints.push({ rule: 'unbalanced-labels', subject: groups.map((group) => group.name).sort().join(', '), evidence: ['per-AZ groups whose labels differ: the cluster autoscaler will not balance them', ...groups.map((group) => `${group.name} (${zoneOf.get(group.name) ?? ''}): ${JSON.stringify(group.labels)}`)] });
    }
  }
  return lints;
}

function selfManagedWithoutClusterTag(cluster: ClusterObservation): Lint[] {
  return cluster.asgs
    .filter((asg) => asg.kind === 'self-managed' && cluster.namedSelfManaged.includes(asg.name) && asg.tags[clusterTag(cluster.name)] === undefined)
    .map((asg) => ({ rule: 'self-managed-missing-cluster-tag' as const, subject: asg.name, evidence: [`no ${clusterTag(cluster.name)} tag: its nodes may fail to join or be left out of load balancers`] }));
}

function metadataTagConflicts(cluster: ClusterObservation): Lint[] {
  const affected = cluster.instances.filter((instance) => instance.metadataTags);
  if (affected.length === 0) return [];
  return [{ rule: 'metadata-tags-conflict', subject: cluster.name, evidence: [`${affected.length} instance(s) expose tags in instance metadata, so keys with "/" (the cluster and autoscaler tags) cannot be written: ${affected.slice(0, 5).map((instance) => instance.id).join(', ')}`] }];
}

function nearTagLimit(cluster: ClusterObservation): Lint[] {
  const lints: Lint[] = [];
  for (const asg of cluster.asgs) {
    const count = userTagCount(Object.keys(asg.tags));
    if (count >= NEAR_LIMIT) lints.push({ rule: 'near-tag-limit', subject: asg.name, evidence: [`${count} of 50 user tags`] });
  }
  return lints;
}
