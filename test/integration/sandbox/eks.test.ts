import { describe, expect, it } from '@jest/globals';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidParameterException,
  ListUpdatesCommand,
  paginateListNodegroups,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { createSandboxAws } from '../../../local/sandbox.ts';

const auditOn = { clusterLogging: [{ types: ['audit' as const, 'api' as const], enabled: true }] };

describe('EKS in the in-memory account', () => {
  it('runs a logging update for 3 virtual minutes, then applies it', async () => {
    const aws = createSandboxAws();
    aws.services.eks.seedCluster(aws.here, 'prod');
    const eks = aws.clients.client(EKSClient);
    const { update } = await eks.send(new UpdateClusterConfigCommand({ name: 'prod', logging: auditOn }));
    expect(update).toMatchObject({ type: 'LoggingUpdate', status: 'InProgress' });
    await expect(eks.send(new UpdateClusterConfigCommand({ name: 'prod', logging: { clusterLogging: [{ types: ['scheduler'], enabled: true }] } }))).rejects.toBeInstanceOf(ResourceInUseException);
    aws.clock.advance(3 * 60_000);
    expect((await eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: update?.id }))).update?.status).toBe('Successful');
    expect((await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster?.logging?.clusterLogging).toEqual([
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ]);
    expect((await eks.send(new ListUpdatesCommand({ name: 'prod' }))).updateIds).toEqual([update?.id]);
    // EKS refuses a request that changes nothing.
    await expect(eks.send(new UpdateClusterConfigCommand({ name: 'prod', logging: auditOn }))).rejects.toThrow(InvalidParameterException);
  });

  it('refuses updates while the cluster is being created', async () => {
    const aws = createSandboxAws();
    aws.services.eks.seedCluster(aws.here, 'new', { status: 'CREATING' });
    await expect(aws.clients.client(EKSClient).send(new UpdateClusterConfigCommand({ name: 'new', logging: auditOn }))).rejects.toThrow(/CREATING/);
  });

  it('fails a planned update with its errors and leaves the cluster as it was', async () => {
    const aws = createSandboxAws();
    aws.services.eks.seedCluster(aws.here, 'prod');
    aws.services.eks.updates.planFailure((_scope, type) => type === 'LoggingUpdate', { errors: [{ errorCode: 'AccessDenied', errorMessage: 'no' }], afterMs: 60_000 });
    const eks = aws.clients.client(EKSClient);
    const { update } = await eks.send(new UpdateClusterConfigCommand({ name: 'prod', logging: auditOn }));
    aws.clock.advance(60_000);
    expect((await eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: update?.id }))).update).toMatchObject({ status: 'Failed', errors: [{ errorCode: 'AccessDenied' }] });
    expect((await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster?.logging?.clusterLogging).toEqual([{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }]);
  });

  it('lists node groups page by page and describes them', async () => {
    const aws = createSandboxAws();
    aws.services.eks.seedCluster(aws.here, 'prod', { version: '1.32' });
    for (let i = 0; i < 120; i++) aws.services.eksNodegroups.seedNodegroup(aws.here, 'prod', `ng-${String(i).padStart(3, '0')}`, { labels: { role: 'web' } });
    const eks = aws.clients.client(EKSClient);
    const names: string[] = [];
    for await (const page of paginateListNodegroups({ client: eks }, { clusterName: 'prod' })) names.push(...(page.nodegroups ?? []));
    expect(names).toHaveLength(120);
    expect(aws.account.callCount('eks', 'ListNodegroups')).toBe(2);
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'ng-007' }));
    expect(nodegroup).toMatchObject({ version: '1.32', labels: { role: 'web' }, resources: { autoScalingGroups: [{ name: expect.stringMatching(/^eks-ng-007-/) }] } });
    await expect(eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'gone' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses two service parts answering the same command', () => {
    const aws = createSandboxAws();
    expect(() => aws.account.register({ clientName: 'EKSClient', label: 'eks', commands: { DescribeClusterCommand: () => ({}) } })).toThrow(/answered by two/);
  });
});
