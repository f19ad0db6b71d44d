import { describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  CreateClusterCommand,
  DescribeClusterCommand,
  EKSClient,
  ListTagsForResourceCommand,
  NotFoundException,
  paginateListClusters,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
  ThrottlingException,
} from '@aws-sdk/client-eks';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { UnknownAccountError } from '../../../shared/aws/client-factory.ts';
import { createSandboxAws } from '../../../local/sandbox.ts';

describe('the in-memory account behind real SDK v3 clients', () => {
  it('creates a cluster that turns ACTIVE after 12 virtual minutes', async () => {
    const aws = createSandboxAws({ start: '2026-03-01T10:00:00Z' });
    const eks = aws.clients.client(EKSClient);
    const created = await eks.send(new CreateClusterCommand({ name: 'prod', version: '1.32', roleArn: 'arn:aws:iam::111122223333:role/eks', resourcesVpcConfig: {} }));
    expect(created.cluster?.status).toBe('CREATING');
    expect(created.cluster?.arn).toBe('arn:aws:eks:eu-west-1:111122223333:cluster/prod');
    aws.clock.advance(11 * 60_000);
    expect((await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster?.status).toBe('CREATING');
    aws.clock.advance(60_000);
    expect((await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster?.status).toBe('ACTIVE');
    expect(aws.account.changes.map((change) => `${change.action} ${change.resource}`)).toEqual(['CreateCluster cluster/prod']);
  });

  it("throws the client package's own exception classes", async () => {
    const aws = createSandboxAws();
    const eks = aws.clients.client(EKSClient);
    aws.services.eks.seedCluster(aws.here, 'prod');
    await expect(eks.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(eks.send(new CreateClusterCommand({ name: 'prod', roleArn: 'r', resourcesVpcConfig: {} }))).rejects.toBeInstanceOf(ResourceInUseException);
    const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
    await expect(eks.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:owner': 'x' } }))).rejects.toBeInstanceOf(BadRequestException);
    await expect(eks.send(new TagResourceCommand({ resourceArn: `${arn}-gone`, tags: { a: 'b' } }))).rejects.toBeInstanceOf(NotFoundException);
    const ssm = aws.clients.client(SSMClient);
    await expect(ssm.send(new GetParameterCommand({ Name: '/missing' }))).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it('enforces the 50-tag limit and leaves the resource untouched when a request would exceed it', async () => {
    const aws = createSandboxAws();
    const eks = aws.clients.client(EKSClient);
    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    const arn = aws.services.eks.seedCluster(aws.here, 'prod', { tags }).arn;
    await expect(eks.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2' } }))).rejects.toThrow(/at most 50 tags/);
    expect(Object.keys((await eks.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? {})).toHaveLength(49);
  });

  it('lets the SDK retry an injected throttle, as against AWS', async () => {
    const aws = createSandboxAws();
    aws.services.eks.seedCluster(aws.here, 'prod');
    aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeClusterCommand', times: 2, error: () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }) });
    const result = await aws.clients.client(EKSClient).send(new DescribeClusterCommand({ name: 'prod' }));
    expect(result.cluster?.name).toBe('prod');
    expect(result.$metadata.attempts).toBe(3);
    expect(aws.account.calls.map((call) => call.error ?? 'ok')).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
  });

  it('surfaces a throttle that outlasts the retry budget', async () => {
    const aws = createSandboxAws();
    aws.services.eks.seedCluster(aws.here, 'prod');
    aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeClusterCommand', times: 10, error: () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }) });
    await expect(aws.clients.client(EKSClient).send(new DescribeClusterCommand({ name: 'prod' }))).rejects.toBeInstanceOf(ThrottlingException);
    expect(aws.account.callCount('eks', 'DescribeCluster')).toBe(4);
  });

  it('serves the SDK paginator page by page', async () => {
    const aws = createSandboxAws();
    for (let i = 0; i < 150; i++) aws.services.eks.seedCluster(aws.here, `c${String(i).padStart(3, '0')}`);
    const names: string[] = [];
    for await (const page of paginateListClusters({ client: aws.clients.client(EKSClient) }, { maxResults: 60 })) names.push(...(page.clusters ?? []));
    expect(names).toHaveLength(150);
    expect(new Set(names).size).toBe(150);
    expect(aws.account.callCount('eks', 'ListClusters')).toBe(3);
  });

  it('keeps accounts and regions apart and reuses one client per target', async () => {
    const aws = createSandboxAws({ otherAccounts: ['222233334444'] });
    aws.services.eks.seedCluster({ accountId: '222233334444', region: 'us-east-1' }, 'remote');
    const remote = aws.clients.client(EKSClient, { accountId: '222233334444', region: 'us-east-1' });
    expect(aws.clients.client(EKSClient, { accountId: '222233334444', region: 'us-east-1' })).toBe(remote);
    expect((await remote.send(new DescribeClusterCommand({ name: 'remote' }))).cluster?.arn).toBe('arn:aws:eks:us-east-1:222233334444:cluster/remote');
    await expect(aws.clients.client(EKSClient).send(new DescribeClusterCommand({ name: 'remote' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(() => aws.clients.client(EKSClient, { accountId: '999999999999' })).toThrow(UnknownAccountError);
  });
});
