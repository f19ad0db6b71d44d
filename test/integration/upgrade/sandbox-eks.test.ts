import { describe, expect, it } from '@jest/globals';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  DescribeInsightsRefreshCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidParameterException,
  InvalidRequestException,
  ListInsightsCommand,
  ResourceInUseException,
  StartInsightsRefreshCommand,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { SandboxEc2Subnets } from '../../../local/account/services/ec2-subnets.ts';
import { SandboxEksAddons } from '../../../local/account/services/eks-addons.ts';
import { SandboxEksInsights } from '../../../local/account/services/eks-insights.ts';

/** The EKS upgrade rules the in-memory account enforces, each from the EKS API reference or user guide. */
function account(version = '1.32') {
  const aws = createSandboxAws();
  aws.services.eks.seedCluster(aws.here, 'prod', { version });
  aws.services.eksNodegroups.seedNodegroup(aws.here, 'prod', 'web', { version, scalingConfig: { minSize: 1, maxSize: 6, desiredSize: 4 }, updateConfig: { maxUnavailable: 2 } });
  aws.account.service(SandboxEksAddons).seedAddon(aws.here, 'prod', 'coredns');
  return { aws, eks: aws.clients.client(EKSClient) };
}

describe('EKS version updates in the in-memory account', () => {
  it('moves the control plane one minor version per call, UPDATING for its duration, then ACTIVE at the new version', async () => {
    const { aws, eks } = account();
    await expect(eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.34' }))).rejects.toThrow(InvalidParameterException);
    await expect(eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.32' }))).rejects.toThrow(/already at the desired configuration/);
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));
    expect((await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster).toMatchObject({ status: 'UPDATING', version: '1.32' });
    await expect(eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }))).rejects.toThrow(ResourceInUseException);
    aws.clock.advance(25 * 60_000);
    expect((await eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: update?.id }))).update?.status).toBe('Successful');
    expect((await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster).toMatchObject({ status: 'ACTIVE', version: '1.33' });
  });

  it('refuses the next hop while a managed node group lags the control plane, and never lets a node group lead it', async () => {
    const { aws, eks } = account();
    await expect(eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'web', version: '1.33' }))).rejects.toThrow(/newer than the cluster version/);
    await eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));
    // While the control plane updates, node groups cannot be updated.
    await expect(eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'web', version: '1.32' }))).rejects.toThrow(ResourceInUseException);
    aws.clock.advance(25 * 60_000);
    await expect(eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.34' }))).rejects.toThrow(InvalidRequestException);
    const { update } = await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'web', version: '1.33' }));
    expect((await eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'web' }))).nodegroup?.status).toBe('UPDATING');
    // 4 nodes, 2 at a time: setup (20 min) and two drain batches (8 min each).
    aws.clock.advance(35 * 60_000);
    expect((await eks.send(new DescribeUpdateCommand({ name: 'prod', nodegroupName: 'web', updateId: update?.id }))).update?.status).toBe('InProgress');
    aws.clock.advance(60_000);
    expect((await eks.send(new DescribeUpdateCommand({ name: 'prod', nodegroupName: 'web', updateId: update?.id }))).update?.status).toBe('Successful');
    expect((await eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'web' }))).nodegroup).toMatchObject({ status: 'ACTIVE', version: '1.33' });
    await expect(eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.34' }))).resolves.toBeDefined();
  });

  it('accepts a launch template only for a node group created with one', async () => {
    const { eks } = account();
    await expect(eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'web', launchTemplate: { id: 'lt-1', version: '2' } }))).rejects.toThrow(/not created with one/);
  });

  it('reports a planned failure as Failed with its error codes, the node group left at its version', async () => {
    const { aws, eks } = account('1.33');
    aws.services.eksNodegroups.seedNodegroup(aws.here, 'prod', 'batch', { version: '1.32' });
    aws.services.eks.updates.planFailure((scope) => scope.nodegroupName === 'batch', { errors: [{ errorCode: 'PodEvictionFailure', errorMessage: 'PDB' }], afterMs: 10 * 60_000 });
    const { update } = await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'batch', version: '1.33' }));
    aws.clock.advance(10 * 60_000);
    expect((await eks.send(new DescribeUpdateCommand({ name: 'prod', nodegroupName: 'batch', updateId: update?.id }))).update).toMatchObject({ status: 'Failed', errors: [{ errorCode: 'PodEvictionFailure' }] });
    expect((await eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'batch' }))).nodegroup).toMatchObject({ status: 'ACTIVE', version: '1.32' });
  });

  it('lists the versions EKS offers now, with their support status', async () => {
    const { aws, eks } = account();
    const versions = (await eks.send(new DescribeClusterVersionsCommand({}))).clusterVersions ?? [];
    // On 2026-01-05 (the test clock's start) 1.35 is not released yet, and 1.31 is past standard support.
    expect(versions.map((entry) => `${entry.clusterVersion} ${entry.versionStatus}`)).toEqual(['1.30 EXTENDED_SUPPORT', '1.31 EXTENDED_SUPPORT', '1.32 STANDARD_SUPPORT', '1.33 STANDARD_SUPPORT', '1.34 STANDARD_SUPPORT']);
    aws.clock.advance(30 * 24 * 3600_000);
    expect((await eks.send(new DescribeClusterVersionsCommand({ clusterVersions: ['1.35'] }))).clusterVersions?.map((entry) => entry.clusterVersion)).toEqual(['1.35']);
  });
});

describe('EKS add-ons in the in-memory account', () => {
  it('offers add-on versions per Kubernetes version, with its default', async () => {
    const { eks } = account();
    const addons = (await eks.send(new DescribeAddonVersionsCommand({ kubernetesVersion: '1.33', addonName: 'coredns' }))).addons ?? [];
    expect(addons[0]?.addonVersions?.map((info) => `${info.addonVersion}${info.compatibilities?.[0]?.defaultVersion ? ' (default)' : ''}`)).toEqual(['v1.12.1-eksbuild.2 (default)', 'v1.11.4-eksbuild.2']);
  });

  it('refuses an add-on version the cluster version does not support, and a second update while one runs', async () => {
    const { aws, eks } = account();
    await expect(eks.send(new UpdateAddonCommand({ clusterName: 'prod', addonName: 'coredns', addonVersion: 'v1.13.1-eksbuild.1' }))).rejects.toThrow(InvalidParameterException);
    await eks.send(new UpdateAddonCommand({ clusterName: 'prod', addonName: 'coredns', addonVersion: 'v1.11.3-eksbuild.2' }));
    await expect(eks.send(new UpdateAddonCommand({ clusterName: 'prod', addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.2' }))).rejects.toThrow(ResourceInUseException);
    aws.clock.advance(4 * 60_000);
    expect(aws.account.service(SandboxEksAddons).addonOf(aws.here, 'prod', 'coredns')).toMatchObject({ status: 'ACTIVE', addonVersion: 'v1.11.3-eksbuild.2' });
  });
});

describe('EKS upgrade insights and EC2 subnets in the in-memory account', () => {
  it('lists insights by version, and lets UpdateClusterVersion through an ERROR one (EKS no longer enforces them)', async () => {
    const { aws, eks } = account();
    const insight = aws.account.service(SandboxEksInsights).seedInsight(aws.here, 'prod', { name: 'Deprecated APIs removed in Kubernetes v1.33', kubernetesVersion: '1.33', status: 'ERROR' });
    const listed = (await eks.send(new ListInsightsCommand({ clusterName: 'prod', filter: { kubernetesVersions: ['1.33'] } }))).insights ?? [];
    expect(listed.map((entry) => [entry.name, entry.insightStatus?.status])).toEqual([['Deprecated APIs removed in Kubernetes v1.33', 'ERROR']]);
    expect((await eks.send(new DescribeInsightCommand({ clusterName: 'prod', id: insight.id }))).insight?.recommendation).toMatch(/\S/);
    await expect(eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }))).resolves.toMatchObject({ update: { status: 'InProgress' } });
  });

  it('re-evaluates insights every 24 hours, and on demand with StartInsightsRefresh', async () => {
    const { aws, eks } = account();
    const seededAt = aws.clock.now();
    aws.account.service(SandboxEksInsights).seedInsight(aws.here, 'prod', { name: 'Kubelet version skew', kubernetesVersion: '1.33', status: 'PASSING' });
    const refreshedAt = async () => (await eks.send(new ListInsightsCommand({ clusterName: 'prod' }))).insights?.[0]?.lastRefreshTime?.toISOString();
    aws.clock.advance(23 * 3600_000);
    expect(await refreshedAt()).toBe(seededAt.toISOString());
    aws.clock.advance(2 * 3600_000);
    expect(await refreshedAt()).toBe(new Date(seededAt.getTime() + 24 * 3600_000).toISOString());
    const started = aws.clock.now();
    expect(await eks.send(new StartInsightsRefreshCommand({ clusterName: 'prod' }))).toMatchObject({ status: 'IN_PROGRESS' });
    expect(await eks.send(new DescribeInsightsRefreshCommand({ clusterName: 'prod' }))).toMatchObject({ status: 'IN_PROGRESS' });
    aws.clock.advance(5 * 60_000);
    expect(await eks.send(new DescribeInsightsRefreshCommand({ clusterName: 'prod' }))).toMatchObject({ status: 'COMPLETED', startedAt: started });
    expect(Date.parse((await refreshedAt()) ?? '')).toBeGreaterThan(started.getTime());
  });

  it('answers DescribeSubnets with the free addresses', async () => {
    const { aws } = account();
    aws.account.service(SandboxEc2Subnets).seedSubnet(aws.here, 'subnet-0a1', { availableIps: 3 });
    const ec2 = aws.clients.client(EC2Client);
    expect((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0a1'] }))).Subnets?.map((subnet) => subnet.AvailableIpAddressCount)).toEqual([3]);
    await expect(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-gone'] }))).rejects.toThrow(/does not exist/);
  });
});
