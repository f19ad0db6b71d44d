import { describe, expect, it } from '@jest/globals';
import { encodeManagedRecord } from '../../../shared/tags/managed-record.ts';
import type { ClusterObservation } from '../../../shared/tags/model.ts';
import { planCluster } from '../../../shared/tags/plan.ts';
import { type TagsEvent, triggerOf } from '../../../shared/tags/trigger-events.ts';
import { asgBatches } from '../../../shared/tags/write-batches.ts';
import { cluster, managedAsg, nodegroup, POLICY } from './plan-fixtures.ts';

const REC = 'eksops:managed';
const ASG = 'eks-general';

function tagChange(changed: string[], tags: Record<string, string>): TagsEvent {
  return {
    'detail-type': 'Tag Change on Resource',
    source: 'aws.tag',
    account: '111122223333',
    region: 'eu-west-1',
    resources: ['arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc'],
    detail: { 'changed-tag-keys': changed, service: 'ec2', 'resource-type': 'instance', tags },
  };
}

describe('tagChangeTrigger', () => {
  const written = { team: 'web', owner: 'alice', 'aws:autoscaling:groupName': ASG };
  const record = encodeManagedRecord({ team: 'web' }).value;

  it('ignores eksops\'s own write: the record\'s hash matches the values', () => {
    expect(triggerOf(tagChange(['team', REC], { ...written, [REC]: record }))).toMatchObject({ kind: 'ignore' });
  });

  it('ignores a change to a key eksops does not manage', () => {
    expect(triggerOf(tagChange(['owner'], { ...written, owner: 'bob', [REC]: record }))).toMatchObject({ kind: 'ignore' });
  });

  it('repairs a managed value edited by hand', () => {
    expect(triggerOf(tagChange(['team'], { ...written, team: 'api', [REC]: record }))).toEqual({ kind: 'asg', region: 'eu-west-1', accountId: '111122223333', asgName: ASG, instanceIds: ['i-0abc'] });
  });

  it('repairs a managed key deleted by hand', () => {
    const { team: _team, ...withoutTeam } = written;
    expect(triggerOf(tagChange(['team'], { ...withoutTeam, [REC]: record }))).toMatchObject({ kind: 'asg', asgName: ASG });
  });

  it('reads an earlier-format record (no hash): deletions only, as before', () => {
    expect(triggerOf(tagChange(['team'], { ...written, team: 'api', [REC]: 'team' }))).toMatchObject({ kind: 'ignore' });
    const { team: _team, ...withoutTeam } = written;
    expect(triggerOf(tagChange(['team'], { ...withoutTeam, [REC]: 'team' }))).toMatchObject({ kind: 'asg', asgName: ASG });
  });
});

describe('Auto Scaling writes in several calls', () => {
  it('an intermediate event may start one extra reconcile, which writes nothing new', () => {
    const tags = (value: string) => Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`key-${String(index).padStart(2, '0')}`, `${value}-${index}`]));
    const asgEvent = (current: Record<string, string>): TagsEvent => ({
      'detail-type': 'Tag Change on Resource', source: 'aws.tag', account: '111122223333', region: 'eu-west-1',
      resources: ['arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:uuid:autoScalingGroupName/eks-general'],
      detail: { 'changed-tag-keys': Object.keys(current), service: 'autoscaling', 'resource-type': 'autoScalingGroup', tags: current },
    });
    const snapshotOf = (current: Record<string, string>, wanted: Record<string, string>): ClusterObservation =>
      cluster({ nodegroups: [nodegroup({ tags: wanted })], asgs: [managedAsg({ tags: Object.fromEntries(Object.entries(current).map(([key, value]) => [key, { value, propagate: key !== 'eksops:managed' }])) })] });

    // Converged on the old values, then the node group's 30 tags all change: 31 tags, two calls.
    const first = planCluster(snapshotOf({}, tags('old')), POLICY).changes[0];
    const converged = { ...first?.set };
    const plan = planCluster(snapshotOf(converged, tags('new')), POLICY);
    const batches = asgBatches(plan.changes);
    expect(batches).toHaveLength(2);

    let current = { ...converged };
    const triggers = batches.map((batch) => {
      for (const tag of batch.tags) current[tag.key] = tag.value;
      current = { ...current };
      return triggerOf(asgEvent(current)).kind;
    });
    // The first call's event sees new values under the old record: one extra run; the last call's matches.
    expect(triggers).toEqual(['asg', 'ignore']);
    // That extra run, whether it sees the intermediate state or the final one, writes nothing new.
    expect(planCluster(snapshotOf(current, tags('new')), POLICY).changes).toEqual([]);
    const intermediate = { ...converged, ...Object.fromEntries(batches[0]?.tags.map((tag) => [tag.key, tag.value]) ?? []) };
    const extra = planCluster(snapshotOf(intermediate, tags('new')), POLICY).changes[0];
    for (const [key, value] of Object.entries(extra?.set ?? {})) expect(plan.changes[0]?.set[key]).toBe(value);
  });
});
