import type { AsgObservation, ClusterObservation, NodegroupObservation, TaintEffect } from './model.ts';
import { isCopyable, type TagPolicy } from './policy.ts';
import {
  AUTOSCALER_ENABLED_TAG,
  autoscalerClusterTag,
  clusterTag,
  isAwsReserved,
  isEksKey,
  isEksopsKey,
  isKarpenterKey,
  NODE_TEMPLATE_PREFIX,
  NODE_TEMPLATE_RESOURCES_PREFIX,
} from './well-known-tags.ts';

/**
 * One desired tag. `enforce`: eksops's value wins over drift. `default`: written only when the key is
 * absent (the configuration's required tags: "a resource's own value wins").
 */
export interface DesiredTag {
  value: string;
  propagate: boolean;
  mode: 'enforce' | 'default';
}

export type DesiredTags = Map<string, DesiredTag>;

/** Keys decide drops from every desired set, with the reason reported. */
export function refusedKey(key: string, target: 'self-managed' | 'managed'): string | undefined {
  if (isAwsReserved(key)) return 'the aws: prefix is reserved for AWS';
  // eksops's own namespace (its record): copying a node group's `eksops:managed` would fight the record and
  // never converge, and would let anyone who can tag a node group forge what eksops deletes.
  if (isEksopsKey(key)) return 'the eksops: prefix is eksops\'s own: never copied from input';
  if (isKarpenterKey(key)) return 'Karpenter ownership tags are never written by eksops';
  if (target === 'self-managed' && isEksKey(key)) return 'eks: tags are never copied to a self-managed ASG';
  return undefined;
}

// The cluster autoscaler's scale-from-zero taint tags spell effects the Kubernetes way; EKS node groups
// spell them NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE.
const EFFECTS: Record<string, TaintEffect> = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };
export const taintEffect = (effect: string): TaintEffect | undefined => EFFECTS[effect] ?? (Object.values(EFFECTS).includes(effect as TaintEffect) ? (effect as TaintEffect) : undefined);

/**
 * The tags an ASG must carry. Managed node group: the node group's own tags (allow/deny) with
 * PropagateAtLaunch (EKS does not propagate them: aws/containers-roadmap#608), plus the cluster
 * autoscaler's node-template tags for labels and taints (scale from zero: the autoscaler reads them from the
 * ASG when no node of the group exists). Self-managed: the cluster tag, propagated. Both: the discovery tags
 * when configured, and the cluster's required tags as defaults.
 */
export function desiredAsgTags(asg: AsgObservation, nodegroup: NodegroupObservation | undefined, cluster: ClusterObservation, policy: TagPolicy): DesiredTags {
  const desired: DesiredTags = new Map();
  const enforce = (key: string, value: string, propagate: boolean) => desired.set(key, { value, propagate, mode: 'enforce' });
  if (asg.kind === 'self-managed') enforce(clusterTag(cluster.name), 'owned', true);
  if (policy.autoscalerDiscovery) {
    enforce(AUTOSCALER_ENABLED_TAG, 'true', false);
    enforce(autoscalerClusterTag(cluster.name), 'owned', false);
  }
  if (nodegroup && asg.kind === 'managed') {
    for (const [key, value] of Object.entries(nodegroup.tags)) {
      if (key.startsWith(NODE_TEMPLATE_RESOURCES_PREFIX)) enforce(key, value, false);
      else if (!key.startsWith(NODE_TEMPLATE_PREFIX) && isCopyable(key, policy)) enforce(key, value, true);
    }
    for (const [label, value] of Object.entries(nodegroup.labels)) enforce(`${NODE_TEMPLATE_PREFIX}label/${label}`, value, false);
    for (const taint of nodegroup.taints) enforce(`${NODE_TEMPLATE_PREFIX}taint/${taint.key}`, `${taint.value ?? ''}:${taint.effect}`, false);
  }
  for (const [key, value] of Object.entries(cluster.requiredTags)) {
    if (!desired.has(key)) desired.set(key, { value, propagate: true, mode: 'default' });
  }
  return desired;
}

/** What the ASG's instances, and their volumes and ENIs, must carry: the propagating part of its set. */
export function propagatingSet(asgDesired: DesiredTags): DesiredTags {
  return new Map([...asgDesired].filter(([, tag]) => tag.propagate));
}
