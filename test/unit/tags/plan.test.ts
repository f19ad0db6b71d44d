import { describe, expect, it } from '@jest/globals';
import { encodeManagedRecord, hashManagedValues, parseManagedRecord, readManagedRecord } from '../../../shared/tags/managed-record.ts';
import type { ClusterObservation, ResourceChange } from '../../../shared/tags/model.ts';
import { planCluster } from '../../../shared/tags/plan.ts';
import { cluster, instance, managedAsg, nodegroup, POLICY, volume } from './plan-fixtures.ts';

const REC = 'eksops:managed';
const changeOf = (plan: { changes: ResourceChange[] }, id: string) => plan.changes.find((change) => change.id === id);

/** Applies a plan to a snapshot, as AWS would: for idempotence checks without any AWS. */
function applied(snapshot: ClusterObservation, changes: ResourceChange[]): ClusterObservation {
  const apply = (id: string, tags: Record<string, string>) => {
    const change = changes.find((candidate) => candidate.id === id);
    if (!change) return tags;
    const next = { ...tags, ...change.set };
    for (const key of change.remove) delete next[key];
    return next;
  };
  return {
    ...snapshot,
    asgs: snapshot.asgs.map((asg) => {
      const change = changes.find((candidate) => candidate.id === asg.name);
      const tags = { ...asg.tags };
      for (const [key, value] of Object.entries(change?.set ?? {})) tags[key] = { value, propagate: change?.propagate?.[key] ?? false };
      for (const key of change?.remove ?? []) delete tags[key];
      return { ...asg, tags };
    }),
    instances: snapshot.instances.map((one) => ({ ...one, tags: apply(one.id, one.tags) })),
    attachments: snapshot.attachments.map((one) => ({ ...one, tags: apply(one.id, one.tags) })),
  };
}

describe('planCluster: managed node groups', () => {
  const snapshot = cluster({
    nodegroups: [nodegroup({ tags: { team: 'payments' }, labels: { workload: 'web' }, taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] })],
    instances: [instance('i-1')],
    attachments: [volume('vol-1', 'i-1'), { id: 'eni-1', kind: 'network-interface', instanceId: 'i-1', tags: {} }],
  });

  it('gives the ASG the node group tags (propagated) and the scale-from-zero label and taint tags (not propagated)', () => {
    const plan = planCluster(snapshot, POLICY);
    expect(changeOf(plan, 'eks-general')).toEqual({
      kind: 'auto-scaling-group',
      id: 'eks-general',
      set: {
        team: 'payments',
        'k8s.io/cluster-autoscaler/node-template/label/workload': 'web',
        'k8s.io/cluster-autoscaler/node-template/taint/dedicated': 'web:NoSchedule',
        [REC]: '~l/workload,~t/dedicated,team;h=82baa614',
      },
      propagate: { team: true, 'k8s.io/cluster-autoscaler/node-template/label/workload': false, 'k8s.io/cluster-autoscaler/node-template/taint/dedicated': false, [REC]: false },
      remove: [],
    });
  });

  it('gives the instance, its volume and its ENI only the propagating set, with the record', () => {
    const plan = planCluster(snapshot, POLICY);
    for (const id of ['i-1', 'vol-1', 'eni-1']) expect(changeOf(plan, id)?.set).toEqual({ team: 'payments', [REC]: 'team;h=8457922c' });
  });

  it('is idempotent: applying the plan and planning again gives no change', () => {
    const first = planCluster(snapshot, POLICY);
    expect(planCluster(applied(snapshot, first.changes), POLICY).changes).toEqual([]);
  });

  it('overwrites drift on a key it manages and leaves the rest alone', () => {
    const converged = applied(snapshot, planCluster(snapshot, POLICY).changes);
    const drifted = { ...converged, instances: converged.instances.map((one) => ({ ...one, tags: { ...one.tags, team: 'someone-else', owner: 'alice' } })) };
    expect(planCluster(drifted, POLICY).changes).toEqual([{ kind: 'instance', id: 'i-1', set: { team: 'payments' }, remove: [] }]);
  });

  it('removes a key it wrote once the node group drops it, and never a user key', () => {
    const converged = applied(snapshot, planCluster(snapshot, POLICY).changes);
    const withUserTag = { ...converged, instances: converged.instances.map((one) => ({ ...one, tags: { ...one.tags, owner: 'alice' } })) };
    const dropped = { ...withUserTag, nodegroups: [nodegroup({ tags: {}, labels: { workload: 'web' }, taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' as const }] })] };
    const plan = planCluster(dropped, POLICY);
    expect(changeOf(plan, 'i-1')).toEqual({ kind: 'instance', id: 'i-1', set: {}, remove: [REC, 'team'] });
    expect(changeOf(plan, 'eks-general')).toMatchObject({ remove: ['team'], set: { [REC]: '~l/workload,~t/dedicated;h=38ee4db5' } });
  });

  it('maps every EKS taint effect to the Kubernetes spelling', () => {
    const taints = [
      { key: 'a', value: '1', effect: 'NoSchedule' as const },
      { key: 'b', effect: 'NoExecute' as const },
      { key: 'c', value: 'x', effect: 'PreferNoSchedule' as const },
    ];
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ taints })] }), POLICY);
    expect(changeOf(plan, 'eks-general')?.set).toMatchObject({
      'k8s.io/cluster-autoscaler/node-template/taint/a': '1:NoSchedule',
      'k8s.io/cluster-autoscaler/node-template/taint/b': ':NoExecute',
      'k8s.io/cluster-autoscaler/node-template/taint/c': 'x:PreferNoSchedule',
    });
  });

  it('copies declared node-template resources tags to the ASG without propagating them', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { 'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': '100Gi' } })], instances: [instance('i-1')] }), POLICY);
    expect(changeOf(plan, 'eks-general')?.propagate).toMatchObject({ 'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': false });
    expect(changeOf(plan, 'i-1')).toBeUndefined();
  });

  it('honours allow and deny globs', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { team: 'a', 'internal:x': 'b', 'cost:center': 'c' } })] }), { ...POLICY, allow: ['team', 'internal:*', 'cost:*'], deny: ['internal:*'] });
    expect(Object.keys(changeOf(plan, 'eks-general')?.set ?? {}).sort()).toEqual(['cost:center', REC, 'team'].sort());
  });

  it('adds the cluster-autoscaler discovery tags when configured', () => {
    const plan = planCluster(cluster(), { ...POLICY, autoscalerDiscovery: true });
    expect(changeOf(plan, 'eks-general')?.set).toMatchObject({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/prod': 'owned' });
  });

  it('writes required tags as defaults: a resource\'s own value wins', () => {
    const snapshotWithOwn = cluster({ requiredTags: { 'cost-center': 'cc-1' }, instances: [instance('i-1'), instance('i-2', { tags: { 'aws:autoscaling:groupName': 'eks-general', 'cost-center': 'cc-own' } })] });
    const plan = planCluster(snapshotWithOwn, POLICY);
    expect(changeOf(plan, 'i-1')?.set).toEqual({ 'cost-center': 'cc-1', [REC]: 'cost-center;h=e6c3b0f9' });
    expect(changeOf(plan, 'i-2')).toBeUndefined();
    expect(planCluster(applied(snapshotWithOwn, plan.changes), POLICY).changes).toEqual([]);
  });
});

describe('planCluster: hard rules', () => {
  it('never writes aws: keys', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { 'aws:cloudformation:stack-name': 's', team: 'a' } })], requiredTags: { 'AWS:x': '1' } }), POLICY);
    expect(plan.changes.flatMap((change) => Object.keys(change.set)).filter((key) => key.toLowerCase().startsWith('aws:'))).toEqual([]);
    expect(plan.findings.filter((finding) => finding.rule === 'reserved-key').map((finding) => finding.message)).toEqual(expect.arrayContaining([expect.stringContaining('aws:cloudformation:stack-name')]));
  });

  it('never copies eks: keys to a self-managed ASG', () => {
    const selfManaged = managedAsg({ name: 'self', kind: 'self-managed', tags: {} });
    delete (selfManaged as { nodegroup?: string }).nodegroup;
    const plan = planCluster(cluster({ asgs: [selfManaged], requiredTags: { 'eks:nodegroup-name': 'fake', team: 'a' } }), POLICY);
    expect(Object.keys(changeOf(plan, 'self')?.set ?? {})).not.toContain('eks:nodegroup-name');
    expect(changeOf(plan, 'self')?.set).toMatchObject({ 'kubernetes.io/cluster/prod': 'owned', team: 'a' });
    expect(changeOf(plan, 'self')?.propagate?.['kubernetes.io/cluster/prod']).toBe(true);
  });

  it('never adds Karpenter ownership tags', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { 'karpenter.sh/nodepool': 'default', 'karpenter.k8s.aws/ec2nodeclass': 'x' } })], instances: [instance('i-1')] }), POLICY);
    expect(plan.changes.flatMap((change) => Object.keys(change.set)).filter((key) => key.startsWith('karpenter'))).toEqual([]);
  });

  it.each([
    ['Karpenter', { 'karpenter.sh/nodepool': 'default' }],
    ['EKS Auto Mode', { 'eks:eks-cluster-name': 'prod' }],
  ])('skips %s instances', (_owner, tags) => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { team: 'a' } })], instances: [instance('i-k', { tags: { 'aws:autoscaling:groupName': 'eks-general', ...tags } })], attachments: [volume('vol-k', 'i-k')] }), POLICY);
    expect(changeOf(plan, 'i-k')).toBeUndefined();
    expect(changeOf(plan, 'vol-k')).toBeUndefined();
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'karpenter-or-auto-mode', resource: 'i-k' }));
  });

  it('never puts two kubernetes.io/cluster/* keys on one instance', () => {
    const selfManaged = managedAsg({ name: 'self', kind: 'self-managed' });
    const plan = planCluster(cluster({ asgs: [selfManaged], instances: [instance('i-1', { asgName: 'self', tags: { 'aws:autoscaling:groupName': 'self', 'kubernetes.io/cluster/other': 'owned' } })] }), POLICY);
    expect(Object.keys(changeOf(plan, 'i-1')?.set ?? {})).not.toContain('kubernetes.io/cluster/prod');
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'cluster-tag-conflict', resource: 'i-1' }));
  });

  it('reports keys with "/" instead of writing them where instance metadata tags are enabled', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { 'example.com/team': 'a', team: 'b' } })], instances: [instance('i-1', { metadataTags: true })], attachments: [volume('vol-1', 'i-1')] }), POLICY);
    expect(changeOf(plan, 'i-1')?.set).toEqual({ team: 'b', [REC]: 'team;h=0603e253' });
    // Volumes have no instance metadata: they get the key.
    expect(changeOf(plan, 'vol-1')?.set).toMatchObject({ 'example.com/team': 'a' });
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'metadata-tags-slash', resource: 'i-1' }));
    expect(plan.lints).toContainEqual(expect.objectContaining({ rule: 'metadata-tags-conflict' }));
  });

  it('stays within 50 user tags: additions are reported, not written, updates still are', () => {
    const full = Object.fromEntries(Array.from({ length: 49 }, (_, index) => [`user-${index}`, 'x']));
    const snapshot = cluster({ nodegroups: [nodegroup({ tags: { team: 'a', owner: 'b' } })], instances: [instance('i-1', { tags: { 'aws:autoscaling:groupName': 'eks-general', ...full } })] });
    const plan = planCluster(snapshot, POLICY);
    expect(changeOf(plan, 'i-1')).toBeUndefined();
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'tag-limit', resource: 'i-1' }));
    const atLimitWithDrift = cluster({ nodegroups: [nodegroup({ tags: { 'user-0': 'y', team: 'a' } })], instances: [instance('i-1', { tags: { 'aws:autoscaling:groupName': 'eks-general', ...full, [REC]: 'user-0' } })] });
    expect(changeOf(planCluster(atLimitWithDrift, POLICY), 'i-1')?.set).toEqual({ 'user-0': 'y', [REC]: 'user-0;h=4c6b0a95' });
  });

  it('removes only keys it recorded', () => {
    const snapshot = cluster({ nodegroups: [nodegroup({ tags: {} })], instances: [instance('i-1', { tags: { 'aws:autoscaling:groupName': 'eks-general', team: 'old', owner: 'alice', [REC]: 'team' } })] });
    expect(changeOf(planCluster(snapshot, POLICY), 'i-1')).toEqual({ kind: 'instance', id: 'i-1', set: {}, remove: [REC, 'team'].sort() });
  });
});

describe('the managed-keys record', () => {
  it('round-trips, abbreviating long well-known prefixes, with a hash of the values', () => {
    const values = { team: 'web', 'kubernetes.io/cluster/prod': 'owned', 'k8s.io/cluster-autoscaler/node-template/label/a': 'b' };
    const { value, unrecorded } = encodeManagedRecord(values);
    expect(value).toBe(`~l/a,~c/prod,team;h=${hashManagedValues(Object.keys(values), values)}`);
    expect(value).toMatch(/^~l\/a,~c\/prod,team;h=[0-9a-f]{8}$/);
    expect(unrecorded).toEqual([]);
    expect([...readManagedRecord({ [REC]: value })].sort()).toEqual(Object.keys(values).sort());
    expect(parseManagedRecord({ [REC]: value }).hash).toBe(value.slice(-8));
  });

  it('changes with a managed value, so the cache is keyed by values too', () => {
    const a = encodeManagedRecord({ team: 'web' }).value;
    const b = encodeManagedRecord({ team: 'api' }).value;
    expect(a).toBe('team;h=bf81227b');
    expect(b).not.toBe(a);
    expect(encodeManagedRecord({ team: 'web' }).value).toBe(a);
    expect(hashManagedValues(['team'], { team: 'web', other: 'x' })).toBe('bf81227b');
  });

  it('reads an earlier-format record (no hash) as keys only', () => {
    const parsed = parseManagedRecord({ [REC]: '~l/workload,team' });
    expect([...parsed.keys].sort()).toEqual(['k8s.io/cluster-autoscaler/node-template/label/workload', 'team']);
    expect(parsed.hash).toBeUndefined();
  });

  it('fits in a tag value, hash included, and names what it could not record', () => {
    const keys = Array.from({ length: 40 }, (_, index) => `a-rather-long-key-${index}`);
    const { value, unrecorded } = encodeManagedRecord(Object.fromEntries(keys.map((key) => [key, 'v'])));
    expect(value.length).toBeLessThanOrEqual(256);
    expect(value).toMatch(/;h=[0-9a-f]{8}$/);
    expect(unrecorded.length).toBeGreaterThan(0);
    expect([...readManagedRecord({ [REC]: value })]).toHaveLength(keys.length - unrecorded.length);
    expect(encodeManagedRecord({ 'a,b': '1', '~x': '2', 'c;d': '3', e: '4' }).unrecorded).toEqual(['a,b', 'c;d', '~x']);
  });
});
