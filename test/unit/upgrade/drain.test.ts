import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { LifecycleActionEventSchema } from '../../../shared/upgrade/drain/event.ts';
import { DESIRED_DRAIN_HOOK, DRAIN_HOOK_NAME, drainHookChange } from '../../../shared/upgrade/drain/hook.ts';
import { clusterOfGroup, type NodeDrainOutcome } from '../../../shared/upgrade/drain/lifecycle-action.ts';
import { decidePod, evictionBackoffMs, isNodeOfInstance, type Pod } from '../../../shared/upgrade/drain/pods.ts';
import { drainLogFields, drainNotification } from '../../../shared/upgrade/drain/report.ts';

const sample = async () => JSON.parse(await readFile(new URL('../../fixtures/events/autoscaling-instance-terminate-lifecycle-action.json', import.meta.url), 'utf8')) as Record<string, unknown> & { detail: Record<string, unknown> };
const pod = (metadata: Partial<Pod['metadata']> = {}): Pod => ({ metadata: { namespace: 'shop', name: 'web-1', ...metadata } });

describe('the lifecycle action event', () => {
  it('parses the documentation sample (EC2 Instance-terminate Lifecycle Action)', async () => {
    const parsed = LifecycleActionEventSchema.parse(await sample());
    expect(parsed.detail).toMatchObject({ LifecycleActionToken: '87654321-4321-4321-4321-210987654321', AutoScalingGroupName: 'my-asg', EC2InstanceId: 'i-1234567890abcdef0', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' });
  });

  it('refuses a launch action, a missing token and another detail-type, naming the field', async () => {
    const event = await sample();
    const launch = LifecycleActionEventSchema.safeParse({ ...event, detail: { ...event.detail, LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' } });
    expect(launch.success).toBe(false);
    expect(launch.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['detail.LifecycleTransition']);
    const { LifecycleActionToken: _token, ...withoutToken } = event.detail;
    expect(LifecycleActionEventSchema.safeParse({ ...event, detail: withoutToken }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['detail.LifecycleActionToken']);
    expect(LifecycleActionEventSchema.safeParse({ ...event, 'detail-type': 'EC2 Instance Launch Successful' }).success).toBe(false);
  });
});

describe('which pods a drain evicts', () => {
  it('evicts ordinary pods, leaves DaemonSet and mirror pods, waits for pods already terminating', () => {
    expect(decidePod(pod({ ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d9', controller: true }] })).action).toBe('evict');
    expect(decidePod(pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'aws-node', controller: true }] }))).toMatchObject({ action: 'skip', reason: 'daemonset' });
    // An owner reference that is not the controller does not make it a DaemonSet pod.
    expect(decidePod(pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'x', controller: false }] })).action).toBe('evict');
    expect(decidePod(pod({ annotations: { 'kubernetes.io/config.mirror': 'abc' } }))).toMatchObject({ action: 'skip', reason: 'mirror' });
    expect(decidePod(pod({ deletionTimestamp: '2026-03-02T09:00:00Z' }))).toMatchObject({ action: 'await' });
  });

  it('finds the node of an instance by spec.providerID aws:///<zone>/<id>', () => {
    const node = { metadata: { name: 'ip-10-0-1-5.ec2.internal' }, spec: { providerID: 'aws:///eu-west-1a/i-0abc1234def567890' } };
    expect(isNodeOfInstance(node, 'i-0abc1234def567890', 'eu-west-1a')).toBe(true);
    expect(isNodeOfInstance(node, 'i-0abc1234def567890', 'eu-west-1b')).toBe(false);
    expect(isNodeOfInstance(node, 'i-0abc1234def567890')).toBe(true);
    expect(isNodeOfInstance(node, 'i-0abc1234def56789')).toBe(false);
    expect(isNodeOfInstance({ metadata: { name: 'fargate' } }, 'i-0abc1234def567890')).toBe(false);
  });

  it('backs off 5 s, doubling, up to 30 s', () => {
    expect([0, 1, 2, 3, 10].map(evictionBackoffMs)).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
  });
});

describe("eksops's drain hook", () => {
  it('is written only when missing or different', () => {
    expect(drainHookChange(undefined)).toBe('created');
    expect(drainHookChange({ ...DESIRED_DRAIN_HOOK })).toBe('unchanged');
    expect(drainHookChange({ ...DESIRED_DRAIN_HOOK, DefaultResult: 'ABANDON' })).toBe('converged');
    expect(drainHookChange({ ...DESIRED_DRAIN_HOOK, HeartbeatTimeout: 3600 })).toBe('converged');
    expect(DESIRED_DRAIN_HOOK).toMatchObject({ LifecycleHookName: DRAIN_HOOK_NAME, LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', DefaultResult: 'CONTINUE' });
  });
});

describe('the cluster of a group', () => {
  const config = { region: 'eu-west-1', clusters: [{ name: 'prod-eu', requiredTags: {} }, { name: 'prod-us', region: 'us-east-1', account: '444455556666', requiredTags: {} }] };
  const where = { region: 'eu-west-1', accountId: '111122223333', ownAccountId: '111122223333' };

  it('is the configured cluster its kubernetes.io/cluster tag names, in the event account and region', () => {
    expect(clusterOfGroup([{ Key: 'Name', Value: 'x' }, { Key: 'kubernetes.io/cluster/prod-eu', Value: 'owned' }], config, where)).toEqual({ name: 'prod-eu' });
    expect(clusterOfGroup([{ Key: 'kubernetes.io/cluster/prod-us', Value: 'shared' }], config, { region: 'us-east-1', accountId: '444455556666', ownAccountId: '111122223333' })).toEqual({ name: 'prod-us' });
  });

  it('is never a cluster that is not configured there, nor one the tag does not own or share', () => {
    expect(clusterOfGroup([{ Key: 'kubernetes.io/cluster/someone-else', Value: 'owned' }], config, where)).toEqual({ notConfigured: expect.stringContaining('someone-else') });
    // Same name, another region or account.
    expect('notConfigured' in clusterOfGroup([{ Key: 'kubernetes.io/cluster/prod-eu', Value: 'owned' }], config, { ...where, region: 'us-east-1' })).toBe(true);
    expect('notConfigured' in clusterOfGroup([{ Key: 'kubernetes.io/cluster/prod-eu', Value: 'owned' }], config, { ...where, accountId: '999999999999' })).toBe(true);
    expect('notConfigured' in clusterOfGroup([{ Key: 'kubernetes.io/cluster/prod-eu', Value: 'false' }], config, where)).toBe(true);
    expect('notConfigured' in clusterOfGroup([], config, where)).toBe(true);
  });
});

describe('the drain report', () => {
  const base: NodeDrainOutcome = { status: 'drained', groupName: 'legacy-workers', instanceId: 'i-0abc1234def567890', cluster: 'prod-eu', node: 'ip-10-0-1-5', evicted: ['shop/web-1'], left: [], skipped: [], seconds: 12, completion: 'CONTINUE', heartbeats: 0 };

  it('logs every node with pods evicted and left and the seconds, and tells Slack nothing when the drain finished', () => {
    expect(drainLogFields(base)).toMatchObject({ status: 'drained', podsEvicted: 1, podsLeft: 0, seconds: 12, lifecycleAction: 'CONTINUE', node: 'ip-10-0-1-5' });
    expect(drainNotification(base)).toBeUndefined();
    expect(drainNotification({ ...base, status: 'node-not-found', reason: 'no node' })).toBeUndefined();
    expect(drainNotification({ ...base, status: 'cluster-not-configured', reason: 'not ours' })).toBeUndefined();
  });

  it('names the pods left and why, escaped, when the drain did not finish', () => {
    const notification = drainNotification({ ...base, status: 'incomplete', reason: 'the drain stopped', left: [{ pod: 'payments/<!channel>-ledger-0', reason: 'its PodDisruptionBudget allows no disruption now' }] });
    const text = JSON.stringify(notification?.blocks);
    expect(notification?.capability).toBe('upgrade');
    expect(text).toContain('payments/&lt;!channel&gt;-ledger-0');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('its PodDisruptionBudget allows no disruption now');
  });
});
