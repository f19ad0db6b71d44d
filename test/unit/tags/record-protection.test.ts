import { describe, expect, it } from '@jest/globals';
import { encodeManagedRecord, parseManagedRecord, verifiedManagedRecord } from '../../../shared/tags/managed-record.ts';
import type { ResourceChange } from '../../../shared/tags/model.ts';
import { planCluster } from '../../../shared/tags/plan.ts';
import { asgBatches, ec2Batches } from '../../../shared/tags/write-batches.ts';
import { cluster, instance, managedAsg, nodegroup, POLICY, volume } from './plan-fixtures.ts';

/** "A tag someone else wrote never makes eksops delete or overwrite a tag it did not write." */
const REC = 'eksops:managed';
const KEY = 'k'.repeat(64);
const changeOf = (plan: { changes: ResourceChange[] }, id: string) => plan.changes.find((change) => change.id === id);
const scope = { cluster: 'prod', kind: 'ec2', group: 'eks-general' };

describe('the managed record is unforgeable', () => {
  it('a forged record on an instance deletes nothing and is reported', () => {
    const forged = instance('i-1', { tags: { 'aws:autoscaling:groupName': 'eks-general', owner: 'alice', 'backup-policy': 'daily', [REC]: 'owner,backup-policy' } });
    const plan = planCluster(cluster({ instances: [forged] }), POLICY, KEY);
    expect(plan.changes.flatMap((change) => change.remove)).toEqual([]);
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'unverified-record', resource: 'i-1' }));
  });

  it('a forged record (with a made-up hash and MAC) on a volume deletes nothing', () => {
    const plan = planCluster(cluster({ instances: [instance('i-1')], attachments: [volume('vol-1', 'i-1', { Name: 'db-data', [REC]: 'Name;h=00000000;m=0123456789abcdef' })] }), POLICY, KEY);
    expect(changeOf(plan, 'vol-1')?.remove ?? []).toEqual([]);
  });

  it('a record eksops signed verifies; the same record for another cluster, group or kind, or another key, does not', () => {
    const { value } = encodeManagedRecord({ team: 'web' }, { key: KEY, scope });
    expect(value).toMatch(/^team;h=[0-9a-f]{8};m=[0-9a-f]{16}$/);
    expect([...verifiedManagedRecord({ [REC]: value }, { key: KEY, scope }).keys]).toEqual(['team']);
    for (const other of [{ ...scope, cluster: 'staging' }, { ...scope, group: 'eks-other' }, { ...scope, kind: 'auto-scaling-group' }]) expect(verifiedManagedRecord({ [REC]: value }, { key: KEY, scope: other })).toEqual({ keys: new Set(), unverified: true });
    expect(verifiedManagedRecord({ [REC]: value }, { key: 'x'.repeat(64), scope }).unverified).toBe(true);
    expect(verifiedManagedRecord({ [REC]: 'team;h=bf81227b' }, { key: KEY, scope }).unverified).toBe(true);
    // The hash stays readable for the Tag Change trigger.
    expect(parseManagedRecord({ [REC]: value }).hash).toBe(value.split(';')[1]?.slice(2));
  });

  it('instances of one group get identical records, so one CreateTags covers them all', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { team: 'web' } })], instances: [instance('i-1'), instance('i-2')] }), POLICY, KEY);
    expect(changeOf(plan, 'i-1')?.set).toEqual(changeOf(plan, 'i-2')?.set);
    expect(ec2Batches(plan.changes).filter((write) => write.action === 'create' && write.resourceIds.includes('i-1'))[0]?.resourceIds).toEqual(['i-1', 'i-2']);
  });

  it('removes a key it recorded (verified) once the node group drops it, and repairs a hand edit', () => {
    const snapshot = cluster({ nodegroups: [nodegroup({ tags: { team: 'web' } })], instances: [instance('i-1')] });
    const first = changeOf(planCluster(snapshot, POLICY, KEY), 'i-1');
    const tags = { ...snapshot.instances[0]?.tags, ...first?.set };
    expect(changeOf(planCluster({ ...snapshot, instances: [instance('i-1', { tags: { ...tags, team: 'edited' } })] }, POLICY, KEY), 'i-1')?.set).toEqual({ team: 'web' });
    const dropped = planCluster({ ...snapshot, nodegroups: [nodegroup()], instances: [instance('i-1', { tags })] }, POLICY, KEY);
    expect(changeOf(dropped, 'i-1')?.remove).toEqual([REC, 'team']);
  });

  it('never names an aws: key in a DeleteTags, whatever the plan says', () => {
    const change: ResourceChange = { kind: 'instance', id: 'i-1', set: {}, remove: ['aws:autoscaling:groupName', 'team'] };
    expect(ec2Batches([change])).toEqual([{ action: 'delete', resourceIds: ['i-1'], tags: ['team'] }]);
    expect(ec2Batches([{ ...change, remove: ['aws:x'] }])).toEqual([]);
    expect(asgBatches([{ kind: 'auto-scaling-group', id: 'g', set: {}, remove: ['aws:x', 'team'] }])[0]?.tags.map((tag) => tag.key)).toEqual(['team']);
  });
});

describe('eksops: keys are never taken as input', () => {
  it('a node group tag eksops:managed (or any eksops: key) is refused and reported, and the run converges', () => {
    const plan = planCluster(cluster({ nodegroups: [nodegroup({ tags: { [REC]: 'owner', 'eksops:other': 'x', team: 'web' } })], requiredTags: { 'EKSOPS:y': '1' } }), POLICY, KEY);
    const asg = changeOf(plan, 'eks-general');
    expect(asg?.set['eksops:other']).toBeUndefined();
    expect(asg?.set[REC]).toMatch(/^team;h=/);
    expect(plan.findings.filter((finding) => finding.rule === 'reserved-key').map((finding) => finding.message.split(':')[0] + ':' + finding.message.split(':')[1])).toEqual(expect.arrayContaining(['eksops:managed', 'eksops:other', 'EKSOPS:y']));
  });
});

describe("a user's own value", () => {
  const users = cluster({ nodegroups: [nodegroup({ tags: { team: 'platform' } })], instances: [instance('i-1', { tags: { 'aws:autoscaling:groupName': 'eks-general', team: 'payments' } })] });

  it('is kept by default and the conflict reported', () => {
    const plan = planCluster(users, POLICY, KEY);
    expect(changeOf(plan, 'i-1')?.set.team).toBeUndefined();
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'user-value-kept', resource: 'i-1' }));
  });

  it('with userValues: overwrite, is overwritten but never recorded, so never deleted', () => {
    const plan = planCluster(users, { ...POLICY, userValues: 'overwrite' }, KEY);
    const change = changeOf(plan, 'i-1');
    expect(change?.set.team).toBe('platform');
    const after = { ...users.instances[0]?.tags, ...change?.set };
    expect([...verifiedManagedRecord(after, { key: KEY, scope }).keys]).not.toContain('team');
    const dropped = planCluster({ ...users, nodegroups: [nodegroup()], instances: [instance('i-1', { tags: after })] }, { ...POLICY, userValues: 'overwrite' }, KEY);
    expect(changeOf(dropped, 'i-1')?.remove ?? []).not.toContain('team');
  });
});

describe('cluster-autoscaler opt-out', () => {
  it('enabled=false on an ASG is respected, the discovery tag left as the user has it, and reported', () => {
    const asg = managedAsg({ tags: { 'k8s.io/cluster-autoscaler/enabled': { value: 'false', propagate: false } } });
    const plan = planCluster(cluster({ asgs: [asg] }), { ...POLICY, autoscalerDiscovery: true }, KEY);
    const change = changeOf(plan, 'eks-general');
    expect(change?.set['k8s.io/cluster-autoscaler/enabled']).toBeUndefined();
    expect(change?.set['k8s.io/cluster-autoscaler/prod']).toBeUndefined();
    expect(change?.remove ?? []).toEqual([]);
    expect(plan.findings).toContainEqual(expect.objectContaining({ rule: 'autoscaler-opt-out', resource: 'eks-general' }));
  });
});
