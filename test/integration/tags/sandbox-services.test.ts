import { describe, expect, it } from '@jest/globals';
import { AutoScalingClient, CreateOrUpdateTagsCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DeleteTagsCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { tagsSandbox } from './tags-sandbox.ts';

/** The rules the in-memory EC2 and Auto Scaling enforce, as the AWS documentation states them. */
describe('sandbox EC2', () => {
  const setup = () => {
    const sandbox = tagsSandbox();
    return { ...sandbox, ec2: sandbox.aws.clients.client(EC2Client) };
  };

  it('refuses CreateTags for more than 1,000 resources, and changes nothing', async () => {
    const { ec2, fleet, here } = setup();
    const ids = Array.from({ length: 1001 }, () => fleet.ec2.seedInstance(here, { volumes: [], networkInterfaces: [] }).id);
    await expect(ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'a', Value: '1' }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    expect(fleet.ec2.tagsOf(here, ids[0] ?? '')).toEqual({});
    await ec2.send(new CreateTagsCommand({ Resources: ids.slice(0, 1000), Tags: [{ Key: 'a', Value: '1' }] }));
    expect(fleet.ec2.tagsOf(here, ids[999] ?? '')).toEqual({ a: '1' });
  });

  it('answers InvalidInstanceID.NotFound naming the gone instance, and tags none of the call', async () => {
    const { ec2, fleet, here } = setup();
    const live = fleet.ec2.seedInstance(here).id;
    const gone = fleet.ec2.seedInstance(here).id;
    fleet.ec2.terminate(here, gone);
    await expect(ec2.send(new CreateTagsCommand({ Resources: [live, gone], Tags: [{ Key: 'a', Value: '1' }] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound', message: expect.stringContaining(gone) });
    expect(fleet.ec2.tagsOf(here, live)).toEqual({});
  });

  it('refuses "/" in keys on instances with instance metadata tags, and aws: keys everywhere', async () => {
    const { ec2, fleet, here } = setup();
    const imds = fleet.ec2.seedInstance(here, { metadataTags: true }).id;
    await expect(ec2.send(new CreateTagsCommand({ Resources: [imds], Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new CreateTagsCommand({ Resources: [imds], Tags: [{ Key: 'aws:x', Value: '1' }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('refuses a 51st user tag (aws: tags do not count)', async () => {
    const { ec2, fleet, here } = setup();
    const tags = Object.fromEntries([...Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']), ['aws:autoscaling:groupName', 'g']]);
    const id = fleet.ec2.seedInstance(here, { tags }).id;
    await expect(ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'one-more', Value: '1' }] }))).rejects.toMatchObject({ name: 'TagLimitExceeded' });
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'k0', Value: 'updated' }] }));
    expect(fleet.ec2.tagsOf(here, id)?.k0).toBe('updated');
  });

  it('deletes every user tag when DeleteTags has no Tags (why eksops always names its keys)', async () => {
    const { ec2, fleet, here } = setup();
    const id = fleet.ec2.seedInstance(here, { tags: { a: '1', b: '2', 'aws:autoscaling:groupName': 'g' } }).id;
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'a' }] }));
    expect(fleet.ec2.tagsOf(here, id)).toEqual({ b: '2', 'aws:autoscaling:groupName': 'g' });
    await ec2.send(new DeleteTagsCommand({ Resources: [id] }));
    expect(fleet.ec2.tagsOf(here, id)).toEqual({ 'aws:autoscaling:groupName': 'g' });
  });

  it('pages DescribeInstances with MaxResults 5-1000 and filters on tags and state', async () => {
    const { ec2, fleet, here } = setup();
    for (let index = 0; index < 12; index += 1) fleet.ec2.seedInstance(here, { tags: { group: index % 2 === 0 ? 'even' : 'odd' } });
    await expect(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:group', Values: ['even'] }, { Name: 'instance-state-name', Values: ['running'] }], MaxResults: 5, ...(token ? { NextToken: token } : {}) }));
      seen.push(...(page.Reservations ?? []).flatMap((reservation) => (reservation.Instances ?? []).map((instance) => instance.InstanceId ?? '')));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect({ count: seen.length, pages }).toEqual({ count: 6, pages: 2 });
  });
});

describe('sandbox Auto Scaling', () => {
  it('propagates PropagateAtLaunch tags to a new instance, never to its volume', () => {
    const { fleet, here } = tagsSandbox();
    fleet.autoscaling.seedGroup(here, 'g', { tags: { team: 'a', internal: { value: 'x', propagate: false } } });
    const id = fleet.autoscaling.launchInstance(here, 'g');
    expect(fleet.ec2.tagsOf(here, id)).toEqual({ team: 'a', 'aws:autoscaling:groupName': 'g' });
    expect(fleet.ec2.attachmentsOf(here, id).map((record) => Object.fromEntries(record.tags))).toEqual([{}, {}]);
  });

  it('takes at most 25 tags per CreateOrUpdateTags', async () => {
    const { fleet, here, aws } = tagsSandbox();
    fleet.autoscaling.seedGroup(here, 'g');
    const client = aws.clients.client(AutoScalingClient);
    const tags = (count: number) => Array.from({ length: count }, (_, index) => ({ ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: `k${index}`, Value: 'v', PropagateAtLaunch: true }));
    await expect(client.send(new CreateOrUpdateTagsCommand({ Tags: tags(26) }))).rejects.toMatchObject({ name: 'ValidationError' });
    await client.send(new CreateOrUpdateTagsCommand({ Tags: tags(25) }));
    expect(Object.keys(fleet.autoscaling.tagsOf(here, 'g') ?? {})).toHaveLength(25);
  });

  it('filters DescribeAutoScalingGroups by tag key and pages by MaxRecords', async () => {
    const { fleet, here, aws } = tagsSandbox();
    for (let index = 0; index < 5; index += 1) fleet.autoscaling.seedGroup(here, `g${index}`, { tags: index < 3 ? { 'kubernetes.io/cluster/prod': 'owned' } : {} });
    const client = aws.clients.client(AutoScalingClient);
    const first = await client.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['kubernetes.io/cluster/prod'] }], MaxRecords: 2 }));
    const second = await client.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['kubernetes.io/cluster/prod'] }], MaxRecords: 2, NextToken: first.NextToken }));
    expect([...(first.AutoScalingGroups ?? []), ...(second.AutoScalingGroups ?? [])].map((group) => group.AutoScalingGroupName)).toEqual(['g0', 'g1', 'g2']);
    expect(second.NextToken).toBeUndefined();
    await expect(client.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
