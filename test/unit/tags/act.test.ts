import { describe, expect, it } from '@jest/globals';
import { AutoScalingClient, CreateOrUpdateTagsCommand, DeleteTagsCommand as DeleteAsgTagsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DeleteTagsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { applyChanges } from '../../../shared/tags/act.ts';
import type { ResourceChange } from '../../../shared/tags/model.ts';
import { TokenBucket } from '../../../shared/concurrency/token-bucket.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

const limits = (clock = new VirtualClock()) => ({ ec2: new TokenBucket({ ratePerSecond: 10, clock }), autoscaling: new TokenBucket({ ratePerSecond: 10, clock }) });

describe('applyChanges: the exact calls', () => {
  it('writes one CreateTags per tag set, DeleteTags with explicit keys, and ASG tags with PropagateAtLaunch', async () => {
    const ec2 = mockClient(EC2Client);
    const autoscaling = mockClient(AutoScalingClient);
    ec2.onAnyCommand().resolves({});
    autoscaling.onAnyCommand().resolves({});
    const changes: ResourceChange[] = [
      { kind: 'auto-scaling-group', id: 'eks-web', set: { team: 'web' }, propagate: { team: true }, remove: ['old'] },
      { kind: 'instance', id: 'i-1', set: { team: 'web' }, remove: [] },
      { kind: 'volume', id: 'vol-1', set: { team: 'web' }, remove: ['old'] },
    ];
    const outcome = await applyChanges(changes, { ec2: new EC2Client({}), autoscaling: new AutoScalingClient({}) }, limits());
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toEqual([{ Resources: ['i-1', 'vol-1'], Tags: [{ Key: 'team', Value: 'web' }] }]);
    expect(ec2.commandCalls(DeleteTagsCommand).map((call) => call.args[0].input)).toEqual([{ Resources: ['vol-1'], Tags: [{ Key: 'old' }] }]);
    expect(autoscaling.commandCalls(CreateOrUpdateTagsCommand).map((call) => call.args[0].input)).toEqual([{ Tags: [{ ResourceId: 'eks-web', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'web', PropagateAtLaunch: true }] }]);
    expect(autoscaling.commandCalls(DeleteAsgTagsCommand).map((call) => call.args[0].input)).toEqual([{ Tags: [{ ResourceId: 'eks-web', ResourceType: 'auto-scaling-group', Key: 'old' }] }]);
    expect(outcome).toEqual({ calls: { ec2CreateTags: 1, ec2DeleteTags: 1, asgCreateOrUpdateTags: 1, asgDeleteTags: 1 }, gone: [], failures: [] });
    ec2.restore();
    autoscaling.restore();
  });

  it('writes nothing for a converged plan', async () => {
    const ec2 = mockClient(EC2Client);
    const outcome = await applyChanges([], { ec2: new EC2Client({}), autoscaling: new AutoScalingClient({}) }, limits());
    expect(ec2.calls()).toHaveLength(0);
    expect(outcome.calls).toEqual({ ec2CreateTags: 0, ec2DeleteTags: 0, asgCreateOrUpdateTags: 0, asgDeleteTags: 0 });
    ec2.restore();
  });

  it('drops a terminated instance from the call and writes the rest again', async () => {
    const ec2 = mockClient(EC2Client);
    ec2.on(CreateTagsCommand, { Resources: ['i-1', 'i-2'] }).rejects(new EC2ServiceException({ name: 'InvalidInstanceID.NotFound', $fault: 'client', message: "The instance ID 'i-2' does not exist", $metadata: {} }));
    ec2.on(CreateTagsCommand, { Resources: ['i-1'] }).resolves({});
    const changes: ResourceChange[] = ['i-1', 'i-2'].map((id) => ({ kind: 'instance', id, set: { team: 'web' }, remove: [] }));
    const outcome = await applyChanges(changes, { ec2: new EC2Client({}), autoscaling: new AutoScalingClient({}) }, limits());
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input.Resources)).toEqual([['i-1', 'i-2'], ['i-1']]);
    expect(outcome.gone).toEqual(['i-2']);
    expect(outcome.failures).toEqual([]);
    ec2.restore();
  });

  it('paces EC2 writes with its token bucket (10 per second)', async () => {
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    const ec2 = mockClient(EC2Client);
    ec2.onAnyCommand().resolves({});
    const changes: ResourceChange[] = Array.from({ length: 30 }, (_, index) => ({ kind: 'instance', id: `i-${index}`, set: { n: String(index) }, remove: [] }));
    await applyChanges(changes, { ec2: new EC2Client({}), autoscaling: new AutoScalingClient({}) }, limits(clock));
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(30);
    // A full bucket of 10, then 20 more at 10/s: two seconds of virtual time.
    expect(clock.now().getTime() - Date.parse('2026-01-01T00:00:00Z')).toBe(2000);
    ec2.restore();
  });
});
