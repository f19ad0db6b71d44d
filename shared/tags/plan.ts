import { type DesiredTags, desiredAsgTags, propagatingSet, refusedKey } from './desired-tags.ts';
import { lintCluster } from './lints.ts';
import { encodeManagedRecord, readManagedRecord, type RecordSigning, verifiedManagedRecord } from './managed-record.ts';
import type { AsgObservation, ClusterObservation, ClusterPlan, Finding, ResourceChange, ResourceKind, Tags } from './model.ts';
import type { TagPolicy } from './policy.ts';
import { AUTOSCALER_ENABLED_TAG, autoscalerClusterTag, CLUSTER_TAG_PREFIX, isAwsReserved, MANAGED_RECORD_TAG, MAX_USER_TAGS, ownedByKarpenterOrAutoMode, userTagCount } from './well-known-tags.ts';

/**
 * Decide: from a cluster's snapshot and the tag policy to the exact writes, pure and deterministic. Like
 * Karpenter's tagging controller: compute the desired tags, compare with the actual ones, keep only the
 * difference; a converged cluster gives a plan without changes.
 */
export function planCluster(cluster: ClusterObservation, policy: TagPolicy, recordKey?: string): ClusterPlan {
  // Without a key (benchmarks, old callers) records are neither signed nor verified: the earlier behaviour.
  // The scope's kind is the API family: an instance, its volumes and ENIs usually need the same tag set,
  // and one CreateTags covers all three only if their records are identical too.
  const signing = (kind: ResourceKind, group: string | undefined): RecordSigning | undefined =>
    recordKey ? { key: recordKey, scope: { cluster: cluster.name, kind: kind === 'auto-scaling-group' ? 'auto-scaling-group' : 'ec2', group: group ?? '' } } : undefined;
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
    const current = Object.fromEntries(Object.entries(asg.tags).map(([key, tag]) => [key, tag.value]));
    const desired = respectingAutoscalerOptOut(withoutRefused(desiredAsgTags(asg, nodegroup, cluster, policy), asg, findings), asg.name, current, cluster.name, findings);
    const change = diffResource('auto-scaling-group', asg.name, current, desired, findings, asgPropagation(asg), policy, signing('auto-scaling-group', asg.name));
    if (change) changes.push(change);

    const propagating = propagatingSet(desired);
    for (const instance of instancesByAsg.get(asg.name) ?? []) {
      if (ownedByKarpenterOrAutoMode(instance.tags)) {
        findings.push({ rule: 'karpenter-or-auto-mode', resource: instance.id, message: 'launched by Karpenter or EKS Auto Mode, which own its tags: left alone' });
        continue;
      }
      const forInstance = instanceSet(instance, propagating, findings);
      const instanceChange = diffResource('instance', instance.id, instance.tags, forInstance, findings, undefined, policy, signing('instance', instance.asgName));
      if (instanceChange) changes.push(instanceChange);
      for (const attachment of attachmentsByInstance.get(instance.id) ?? []) {
        // ASG tags reach only new instances, never their volumes or ENIs: eksops carries them there.
        const attachmentChange = diffResource(attachment.kind, attachment.id, attachment.tags, propagating, findings, undefined, policy, signing(attachment.kind, instance.asgName));
        if (attachmentChange) changes.push(attachmentChange);
      }
    }
  }
  return { cluster: cluster.name, region: cluster.region, ...(cluster.accountId === undefined ? {} : { accountId: cluster.accountId }), changes, findings, lints: lintCluster(cluster, policy), pendingNodegroups: cluster.pendingNodegroups };
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

/**
 * `k8s.io/cluster-autoscaler/enabled=false` on an ASG is a person's explicit opt-out of autoscaler discovery:
 * eksops neither forces it back to `true` nor touches the cluster discovery tag; it keeps both as they are
 * (so a recorded one is not deleted either) and reports it.
 */
function respectingAutoscalerOptOut(desired: DesiredTags, asgName: string, current: Tags, clusterName: string, findings: Finding[]): DesiredTags {
  if (!desired.has(AUTOSCALER_ENABLED_TAG) || current[AUTOSCALER_ENABLED_TAG]?.toLowerCase() !== 'false') return desired;
  for (const key of [AUTOSCALER_ENABLED_TAG, autoscalerClusterTag(clusterName)]) {
    const tag = desired.get(key);
    if (!tag) continue;
    const value = current[key];
    if (value === undefined) desired.delete(key);
    else desired.set(key, { ...tag, value });
  }
  findings.push({ rule: 'autoscaler-opt-out', resource: asgName, message: `${AUTOSCALER_ENABLED_TAG}=false set on the group: discovery tags left as they are` });
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
  policy?: Pick<TagPolicy, 'userValues'>,
  signing?: RecordSigning,
): ResourceChange | undefined {
  let recorded = readManagedRecord(current);
  let unverified = false;
  if (signing) {
    const verified = verifiedManagedRecord(current, signing);
    recorded = verified.keys;
    unverified = verified.unverified;
    if (verified.unverified) findings.push({ rule: 'unverified-record', resource: id, message: `${MANAGED_RECORD_TAG} does not verify (forged, unsigned or copied from another group): treated as no record, nothing removed on its strength` });
  }
  const overwriteUserValues = policy?.userValues === 'overwrite';
  const kept: string[] = [];
  const overwritten: string[] = [];
  const set: Record<string, string> = {};
  const propagate: Record<string, boolean> = {};
  const managed = new Set<string>();
  for (const [key, tag] of desired) {
    const present = key in current;
    if (tag.mode === 'default' && present && !recorded.has(key)) continue;
    if (present && !recorded.has(key) && (current[key] !== tag.value || overwriteUserValues)) {
      // The key was there before eksops wrote it: it is the user's. Kept by default; with `overwrite`,
      // eksops's value is written but the key is never recorded as managed, so it is never deleted.
      if (!overwriteUserValues) {
        kept.push(key);
        continue;
      }
      if (current[key] !== tag.value) {
        overwritten.push(key);
        set[key] = tag.value;
        if (currentPropagate) propagate[key] = tag.propagate;
      }
      continue;
    }
    managed.add(key);
    if (tag.mode === 'default' && present) continue;
    const propagationDiffers = currentPropagate !== undefined && currentPropagate(key) !== tag.propagate;
    if (current[key] !== tag.value || propagationDiffers) {
      set[key] = tag.value;
      if (currentPropagate) propagate[key] = tag.propagate;
    }
  }
  // `aws:` keys are AWS's, never removed, whatever a record says.
  const remove = [...recorded].filter((key) => !managed.has(key) && key in current && !isAwsReserved(key));
  if (kept.length > 0) findings.push({ rule: 'user-value-kept', resource: id, message: `the resource's own value kept (eksops did not write it): ${kept.sort().join(', ')}` });
  if (overwritten.length > 0) findings.push({ rule: 'user-value-overwritten', resource: id, message: `the resource's own value overwritten (userValues: overwrite), never recorded as managed: ${overwritten.sort().join(', ')}` });

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
  const record = encodeManagedRecord(after, signing);
  if (record.unrecorded.length > 0) findings.push({ rule: 'managed-record-full', resource: id, message: `not recorded as managed (will never be removed by eksops): ${record.unrecorded.join(', ')}` });
  const recordedValue = current[MANAGED_RECORD_TAG];
  const recordFits = recordedValue !== undefined || projected(1) <= MAX_USER_TAGS;
  // A record that does not verify is not eksops's: replaced when eksops has keys to record, never deleted.
  if (managed.size === 0 && recordedValue !== undefined && !unverified) remove.push(MANAGED_RECORD_TAG);
  else if (managed.size > 0 && recordedValue !== record.value && recordFits) {
    set[MANAGED_RECORD_TAG] = record.value;
    if (currentPropagate) propagate[MANAGED_RECORD_TAG] = false;
  }
  remove.sort();
  if (Object.keys(set).length === 0 && remove.length === 0) return undefined;
  return { kind, id, set, remove, ...(currentPropagate ? { propagate } : {}) };
}
