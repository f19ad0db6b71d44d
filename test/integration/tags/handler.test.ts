import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { makeHandler } from '../../../functions/node-tags/app.ts';
import { lambdaContext } from '../../../local/lambda/context.ts';
import { launchEvent, nodegroupTagResourceEvent, scheduledEvent } from '../../../local/scenarios/tags-events.ts';
import { seedManagedGroup } from '../../../local/tags-fleet.ts';
import type { Notification } from '../../../shared/notify/notifier.ts';
import { triggerOf, TagsEventSchema } from '../../../shared/tags/trigger-events.ts';
import { tagsSandbox } from './tags-sandbox.ts';

function setup() {
  const sandbox = tagsSandbox();
  sandbox.fleet.eks.seedCluster(sandbox.here, 'prod', { version: '1.33' });
  const web = seedManagedGroup(sandbox.fleet, sandbox.here, 'prod', { name: 'web', instances: 2, tags: { team: 'web' } });
  const sent: Notification[] = [];
  const handler = makeHandler({ config: sandbox.config(['prod']), clients: sandbox.aws.clients, clock: sandbox.aws.clock, env: sandbox.env, notifier: { send: async (notification) => void sent.push(notification) } });
  const invoke = (event: unknown) => handler(event, lambdaContext({ functionName: 'nodeTags', region: sandbox.here.region, accountId: sandbox.here.accountId, timeoutSeconds: 900, clock: sandbox.aws.clock }));
  return { ...sandbox, web, sent, invoke };
}

const realLaunch = JSON.parse(readFileSync(new URL('../../../../shared/samples/real/events/ec2-instance-launch-successful.aws-lambda-go.autoscaling-event-launch-successful.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('nodeTags handler', () => {
  it('reconciles on the schedule and sends one Slack summary for the run', async () => {
    const { invoke, sent, here, aws, fleet, web } = setup();
    const result = await invoke(scheduledEvent(here, aws.clock.now()));
    expect(result).toEqual({ outcome: 'reconciled', dryRun: false, clusters: [{ cluster: 'prod', changed: 7, lints: 0 }] });
    expect(sent).toHaveLength(1);
    expect(fleet.ec2.tagsOf(here, web.instanceIds[1] ?? '')?.team).toBe('web');
    await invoke(scheduledEvent(here, aws.clock.now()));
    expect(sent).toHaveLength(1);
  });

  it('tags the launched instance, its volume and ENI only', async () => {
    const { invoke, here, fleet, web, aws } = setup();
    await invoke(scheduledEvent(here, aws.clock.now()));
    const id = fleet.autoscaling.launchInstance(here, web.asgName);
    const result = await invoke(launchEvent(here, web.asgName, id));
    expect(result).toEqual({ outcome: 'reconciled', dryRun: false, clusters: [{ cluster: 'prod', changed: 3, lints: 0 }] });
    for (const record of fleet.ec2.attachmentsOf(here, id)) expect(Object.fromEntries(record.tags)).toEqual({ team: 'web', 'eksops:managed': expect.stringMatching(/^team;h=bf81227b;m=[0-9a-f]{16}$/) });
  });

  it('reconciles the node group named by an EKS TagResource event (ARN URL-encoded)', async () => {
    const { invoke, here, fleet, web } = setup();
    const arn = fleet.eksNodegroups.nodegroupOf(here, 'prod', 'web').nodegroupArn ?? '';
    expect(triggerOf(TagsEventSchema.parse(nodegroupTagResourceEvent(here, arn, {})))).toEqual({ kind: 'nodegroup', region: here.region, accountId: here.accountId, cluster: 'prod', nodegroup: 'web' });
    await invoke(nodegroupTagResourceEvent(here, arn, { team: 'web' }));
    expect(fleet.autoscaling.tagsOf(here, web.asgName)?.team).toBe('web');
  });

  it('repairs a managed key someone deleted, and ignores its own writes', async () => {
    const { invoke, here, fleet, web, aws } = setup();
    await invoke(scheduledEvent(here, aws.clock.now()));
    const id = web.instanceIds[0] ?? '';
    const tagChange = (changed: string[]) => ({
      version: '0', id: 'x', 'detail-type': 'Tag Change on Resource', source: 'aws.tag', account: here.accountId, time: aws.clock.now().toISOString(), region: here.region,
      resources: [`arn:aws:ec2:${here.region}:${here.accountId}:instance/${id}`],
      detail: { 'changed-tag-keys': changed, service: 'ec2', 'resource-type': 'instance', version: 3, tags: fleet.ec2.tagsOf(here, id) },
    });
    expect(await invoke(tagChange(['team', 'eksops:managed']))).toMatchObject({ outcome: 'skipped' });
    fleet.ec2.instance(here, id)?.tags.delete('team');
    expect(await invoke(tagChange(['team']))).toMatchObject({ outcome: 'reconciled' });
    expect(fleet.ec2.tagsOf(here, id)?.team).toBe('web');
  });

  it('repairs a managed value edited by hand, then ignores the event of its own repair', async () => {
    const { invoke, here, fleet, web, aws } = setup();
    await invoke(scheduledEvent(here, aws.clock.now()));
    const id = web.instanceIds[0] ?? '';
    const tagChange = (changed: string[]) => ({
      version: '0', id: 'x', 'detail-type': 'Tag Change on Resource', source: 'aws.tag', account: here.accountId, time: aws.clock.now().toISOString(), region: here.region,
      resources: [`arn:aws:ec2:${here.region}:${here.accountId}:instance/${id}`],
      detail: { 'changed-tag-keys': changed, service: 'ec2', 'resource-type': 'instance', version: 3, tags: fleet.ec2.tagsOf(here, id) },
    });
    fleet.ec2.instance(here, id)?.tags.set('team', 'edited');
    expect(await invoke(tagChange(['team']))).toMatchObject({ outcome: 'reconciled' });
    expect(fleet.ec2.tagsOf(here, id)).toMatchObject({ team: 'web', 'eksops:managed': expect.stringMatching(/^team;h=bf81227b;m=[0-9a-f]{16}$/) });
    // The repair's own write produces an event whose values match the record's hash again.
    expect(await invoke(tagChange(['team']))).toMatchObject({ outcome: 'skipped' });
  });

  it('keeps an earlier-format record (no hash) to deletions only', async () => {
    const { invoke, here, fleet, web, aws } = setup();
    await invoke(scheduledEvent(here, aws.clock.now()));
    const id = web.instanceIds[0] ?? '';
    const tagChange = (changed: string[]) => ({
      version: '0', id: 'x', 'detail-type': 'Tag Change on Resource', source: 'aws.tag', account: here.accountId, time: aws.clock.now().toISOString(), region: here.region,
      resources: [`arn:aws:ec2:${here.region}:${here.accountId}:instance/${id}`],
      detail: { 'changed-tag-keys': changed, service: 'ec2', 'resource-type': 'instance', version: 3, tags: fleet.ec2.tagsOf(here, id) },
    });
    const tags = fleet.ec2.instance(here, id)?.tags;
    tags?.set('eksops:managed', 'team');
    tags?.set('team', 'edited');
    expect(await invoke(tagChange(['team']))).toMatchObject({ outcome: 'skipped' });
    tags?.delete('team');
    expect(await invoke(tagChange(['team']))).toMatchObject({ outcome: 'reconciled' });
    expect(fleet.ec2.tagsOf(here, id)).toMatchObject({ team: 'web', 'eksops:managed': expect.stringMatching(/^team;h=bf81227b;m=[0-9a-f]{16}$/) });
  });

  it('accepts a real Auto Scaling launch event from another project\'s test data', () => {
    expect(TagsEventSchema.safeParse(realLaunch).success).toBe(true);
  });

  it.each([
    ['a launch event without its instance ID', (event: Record<string, unknown>) => ({ ...event, detail: { ...(event.detail as object), EC2InstanceId: undefined } }), /detail\.EC2InstanceId/],
    ['a tag change without its keys', () => ({ version: '0', id: 'x', 'detail-type': 'Tag Change on Resource', source: 'aws.tag', account: '111122223333', region: 'eu-west-1', resources: [], detail: { service: 'ec2', 'resource-type': 'instance', tags: {} } }), /detail\.changed-tag-keys/],
    ['an event with no detail', () => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', account: '111122223333', region: 'eu-west-1' }), /detail/],
  ])('rejects %s with the offending field named', async (_name, mutate, pattern) => {
    const { invoke, here, aws } = setup();
    const event = mutate(launchEvent(here, 'g', 'i-0123456789abcdef0') as unknown as Record<string, unknown>);
    await expect(invoke(event)).rejects.toMatchObject({ name: 'InvalidEventError', message: expect.stringMatching(pattern) });
    expect(aws.account.changes).toEqual([]);
  });

  it('logs and skips an event kind it does not handle', async () => {
    const { invoke, aws } = setup();
    const result = await invoke({ version: '0', id: 'x', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', account: '111122223333', region: 'eu-west-1', resources: [], detail: { 'instance-id': 'i-1', state: 'running' } });
    expect(result).toMatchObject({ outcome: 'skipped' });
    expect(aws.account.calls).toEqual([]);
  });

  it('tags the ASG EKS creates for a node group (CloudTrail CreateAutoScalingGroup by eks-nodegroup.amazonaws.com)', async () => {
    const { invoke, here, fleet, web, aws } = setup();
    const event = {
      version: '0', id: 'x', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.autoscaling', account: here.accountId, time: aws.clock.now().toISOString(), region: here.region, resources: [],
      detail: { eventSource: 'autoscaling.amazonaws.com', eventName: 'CreateAutoScalingGroup', userIdentity: { type: 'AWSService', invokedBy: 'eks-nodegroup.amazonaws.com' }, requestParameters: { autoScalingGroupName: web.asgName } },
    };
    expect(await invoke(event)).toMatchObject({ outcome: 'reconciled' });
    expect(fleet.autoscaling.groupOf(here, web.asgName)?.tags.get('team')).toEqual({ value: 'web', propagate: true });
    const byUser = { ...event, detail: { ...event.detail, userIdentity: { type: 'IAMUser' } } };
    expect(await invoke(byUser)).toMatchObject({ outcome: 'skipped' });
  });

  it('tags an instance launched by a self-managed group, found by its cluster tag', async () => {
    const { invoke, here, fleet } = setup();
    fleet.autoscaling.seedGroup(here, 'self-gpu', { tags: { 'kubernetes.io/cluster/prod': 'owned', gpu: { value: 'a100', propagate: false } } });
    const id = fleet.autoscaling.launchInstance(here, 'self-gpu');
    expect(await invoke(launchEvent(here, 'self-gpu', id))).toEqual({ outcome: 'reconciled', dryRun: false, clusters: [{ cluster: 'prod', changed: 4, lints: 0 }] });
    for (const record of fleet.ec2.attachmentsOf(here, id)) expect(record.tags.get('kubernetes.io/cluster/prod')).toBe('owned');
    expect(fleet.ec2.tagsOf(here, id)?.gpu).toBeUndefined();
  });

  it('waits for a node group created by CreateNodegroup to be ACTIVE, then reconciles it', async () => {
    const { invoke, here, fleet, aws } = setup();
    const created = seedManagedGroup(fleet, here, 'prod', { name: 'fresh', instances: 1, tags: { team: 'fresh' }, status: 'CREATING' });
    const event = {
      version: '0', id: 'x', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.eks', account: here.accountId, time: aws.clock.now().toISOString(), region: here.region, resources: [],
      detail: { eventSource: 'eks.amazonaws.com', eventName: 'CreateNodegroup', requestParameters: { name: 'prod', nodegroupName: 'fresh' } },
    };
    const started = aws.clock.now().getTime();
    const running = invoke(event);
    // The first poll has seen CREATING; the group becomes ACTIVE before the second, 30 s later.
    while (aws.account.callCount('eks', 'DescribeNodegroup') < 1) await Promise.resolve();
    fleet.eksNodegroups.nodegroupOf(here, 'prod', 'fresh').status = 'ACTIVE';
    expect(await running).toMatchObject({ outcome: 'reconciled' });
    expect(aws.clock.now().getTime() - started).toBe(30_000);
    expect(fleet.ec2.tagsOf(here, created.instanceIds[0] ?? '')?.team).toBe('fresh');
  });
});
