import { type DesiredTags, desiredAsgTags, propagatingSet, refusedKey } from './desired-tags.ts';
import { lintCluster } from './lints.ts';
import { encodeManagedRecord, readManagedRecord } from './managed-record.ts';
import type { AsgObservation, ClusterObservation, ClusterPlan, Finding, ResourceChange, ResourceKind, Tags } from './model.ts';
import type { TagPolicy } from './policy.ts';
import { CLUSTER_TAG_PREFIX, MANAGED_RECORD_TAG, MAX_USER_TAGS, ownedByKarpenterOrAutoMode, userTagCount } from './well-known-tags.ts';

/**
 * Decide: from a cluster's snapshot and the tag policy to the exact writes, pure and deterministic. Like
 * Karpenter's tagging controller: compute the desired tags, compare with the actual ones, keep only the
 * difference; a converged cluster gives a plan without changes.
 */
export function planCluster(cluster: ClusterObservation, policy: TagPolicy): ClusterPlan {
  const changes: ResourceChange[] = [];
  const findings: Finding[] = [];
  const nodegroups = new Map(cluster.nodegroups.map((nodegroup) => [nodegroup.name, nodegroup]));
  const instancesByAsg = new Map<string, ClusterObservation['instances'][number][]>();
  for (const instance of cluster.instances) {
    if (!instance.asgName) continue;
    const list = instancesByAsg.get(instance.asgName) ?? [];
    list.push(instance);
    instancesByAsg.set(instance.asgName, list);
  }
  const attachmentsByInstance = new Map<string, ClusterObservation['attachments'][number][]>();
  for (const attachment of cluster.attachments) {
    const list = attachmentsByInstance.get(attachment.instanceId) ?? [];
    list.push(attachment);
    attachmentsByInstance.set(attachment.instanceId, list);
  }

  for (const asg of cluster.asgs) {
    const nodegroup = asg.nodegroup ? nodegroups.get(asg.nodegroup) : undefined;
    const desired = withoutRefused(desiredAsgTags(asg, nodegroup, cluster, policy), asg, findings);
    const current = Object.fromEntries(Object.entries(asg.tags).map(([key, tag]) => [key, tag.value]));
    const change = diffResource('auto-scaling-group', asg.name, current, desired, findings, asgPropagation(asg));
    if (change) changes.push(change);

    const propagating = propagatingSet(desired);
    for (const instance of instancesByAsg.get(asg.name) ?? []) {
      if (ownedByKarpenterOrAutoMode(instance.tags)) {
        findings.push({ rule: 'karpenter-or-auto-mode', resource: instance.id, message: 'launched by Karpenter or EKS Auto Mode, which own its tags: left alone' });
        continue;
      }
      const forInstance = instanceSet(instance, propagating, findings);
      const instanceChange = diffResource('instance', instance.id, instance.tags, forInstance, findings);
      if (instanceChange) changes.push(instanceChange);
      for (const attachment of attachmentsByInstance.get(instance.id) ?? []) {
        // ASG tags reach only new instances, never their volumes or ENIs: eksops carries them there.
        const attachmentChange = diffResource(attachment.kind, attachment.id, attachment.tags, propagating, findings);
        if (attachmentChange) changes.push(attachmentChange);
      }
    }
  }
  return { cluster: cluster.name, region: cluster.region, accountId: cluster.accountId, changes, findings, lints: lintCluster(cluster, policy), pendingNodegroups: cluster.pendingNodegroups };
}

function withoutRefused(desired: DesiredTags, asg: AsgObservation, findings: Finding[]): DesiredTags {
  for (const key of [...desired.keys()]) {
    const reason = refusedKey(key, asg.kind);
    if (reason) {
      desired.delete(key);
      findings.push({ rule: 'reserved-key', resource: asg.name, message: `${key}: ${reason}` });
    }
  }
  return desired;
}

const asgPropagation = (asg: AsgObservation) => (key: string) => asg.tags[key]?.propagate;

/** The instance's set: the ASG's propagating tags, minus what this instance cannot or must not carry. */
function instanceSet(instance: ClusterObservation['instances'][number], propagating: DesiredTags, findings: Finding[]): DesiredTags {
  const ownClusterKeys = Object.keys(instance.tags).filter((key) => key.startsWith(CLUSTER_TAG_PREFIX));
  const restricted = [...propagating.keys()].some((key) => (key.startsWith(CLUSTER_TAG_PREFIX) && ownClusterKeys.some((own) => own !== key)) || (instance.metadataTags && key.includes('/')));
  // The common case (no conflict, no metadata tags) shares the group's set: no copy per instance.
  if (!restricted) return propagating;
  const result: DesiredTags = new Map(propagating);
  for (const key of [...result.keys()]) {
    if (key.startsWith(CLUSTER_TAG_PREFIX) && ownClusterKeys.some((own) => own !== key)) {
      result.delete(key);
      findings.push({ rule: 'cluster-tag-conflict', resource: instance.id, message: `already carries ${ownClusterKeys.join(', ')}: ${key} would make two clusters claim it` });
    } else if (instance.metadataTags && key.includes('/')) {
      // EC2 refuses keys with `/` on instances whose tags are readable from instance metadata.
      result.delete(key);
      findings.push({ rule: 'metadata-tags-slash', resource: instance.id, message: `${key} not written: instance metadata tags are enabled and such keys may not contain "/"` });
    }
  }
  return result;
}

/**
 * The difference for one resource, or undefined when it is converged. Keys eksops recorded earlier and no
 * longer wants are removed; keys it never recorded are never touched.
 */
export function diffResource(
  kind: ResourceKind,
  id: string,
  current: Tags,
  desired: DesiredTags,
  findings: Finding[],
  currentPropagate?: (key: string) => boolean | undefined,
): ResourceChange | undefined {
  const recorded = readManagedRecord(current);
  const set: Record<string, string> = {};
  const propagate: Record<string, boolean> = {};
  const managed = new Set<string>();
  for (const [key, tag] of desired) {
    const present = key in current;
    if (tag.mode === 'default' && present && !recorded.has(key)) continue;
    managed.add(key);
    if (tag.mode === 'default' && present) continue;
    const propagationDiffers = currentPropagate !== undefined && currentPropagate(key) !== tag.propagate;
    if (current[key] !== tag.value || propagationDiffers) {
      set[key] = tag.value;
      if (currentPropagate) propagate[key] = tag.propagate;
    }
  }
  const remove = [...recorded].filter((key) => !managed.has(key) && key in current);

  // Stay within the limit: if the additions (and the record) would take the resource past 50 user tags, AWS
  // would refuse the whole call. Keep the updates and removals that fit, skip the additions, and say so.
  const added = Object.keys(set).filter((key) => !(key in current));
  const projected = (extra: number) => userTagCount(Object.keys(current)) - userTagCount(remove) + extra;
  const needsRecord = managed.size > 0 && current[MANAGED_RECORD_TAG] === undefined ? 1 : 0;
  if (added.length > 0 && projected(added.length + needsRecord) > MAX_USER_TAGS) {
    for (const key of added) {
      delete set[key];
      delete propagate[key];
      managed.delete(key);
    }
    findings.push({ rule: 'tag-limit', resource: id, message: `${projected(added.length + needsRecord)} user tags would exceed the limit of ${MAX_USER_TAGS}: not added: ${added.sort().join(', ')}` });
  }

  // The record's hash covers the managed values as they are after this write, so a managed value that
  // changes changes the record too, in the same call.
  const after: Record<string, string> = {};
  for (const key of managed) after[key] = set[key] ?? current[key] ?? '';
  const record = encodeManagedRecord(after);
  if (record.unrecorded.length > 0) findings.push({ rule: 'managed-record-full', resource: id, message: `not recorded as managed (will never be removed by eksops): ${record.unrecorded.join(', ')}` });
  const recordedValue = current[MANAGED_RECORD_TAG];
  const recordFits = recordedValue !== undefined || projected(1) <= MAX_USER_TAGS;
  if (managed.size === 0 && recordedValue !== undefined) remove.push(MANAGED_RECORD_TAG);
  else if (managed.size > 0 && recordedValue !== record.value && recordFits) {
    set[MANAGED_RECORD_TAG] = record.value;
    if (currentPropagate) propagate[MANAGED_RECORD_TAG] = false;
  }
  remove.sort();
  if (Object.keys(set).length === 0 && remove.length === 0) return undefined;
  return { kind, id, set, remove, ...(currentPropagate ? { propagate } : {}) };
}
