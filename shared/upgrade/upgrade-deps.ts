import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientFactory } from '../aws/client-factory.ts';
import type { FunctionDeps } from '../runtime/deps.ts';
import type { UpgradeClients } from './eks-port.ts';
import type { UpgradeLock } from './lock.ts';

export type UpgradeDeps = Pick<FunctionDeps, 'config' | 'clients' | 'notifier' | 'clock' | 'env'>;

export interface ClusterRef {
  name: string;
  region: string;
  accountId?: string | undefined;
}

export function upgradeClients(deps: UpgradeDeps, cluster: ClusterRef): UpgradeClients {
  return upgradeClientsFor(deps.clients, cluster);
}

/** The clients of the cluster's account and region (the CLI has a factory but no function deps). */
export function upgradeClientsFor(factory: AwsClientFactory, cluster: Pick<ClusterRef, 'region' | 'accountId'>): UpgradeClients {
  const target = { region: cluster.region, ...(cluster.accountId ? { accountId: cluster.accountId } : {}) };
  return {
    eks: factory.client(EKSClient, target),
    ec2: factory.client(EC2Client, target),
    autoscaling: factory.client(AutoScalingClient, target),
    // The public EKS AMI parameters live in every region: read them where the cluster is.
    ssm: factory.client(SSMClient, target),
  };
}

/** The lock table lives in the deployment's own account and region, whatever the cluster's. */
export function lockClient(deps: UpgradeDeps): DynamoDBClient {
  return deps.clients.client(DynamoDBClient);
}

/** The upgrade table: the clusters' locks, and the approval requests waiting for an answer (approval.ts). */
export function upgradeTableName(deps: Pick<UpgradeDeps, 'env'>): string {
  const table = deps.env.UPGRADE_LOCK_TABLE;
  if (!table) throw new Error('UPGRADE_LOCK_TABLE is not set (serverless/upgrade.functions.yml sets it)');
  return table;
}

/** The input's word for "the deployment's own account", as the client factory and the config schema use it. */
export const OWN_ACCOUNT = 'self';

/**
 * The cluster as the run keeps it: an account that is the deployment's own (by ID, 'self', or omitted) is
 * no account at all, so every way of naming the same cluster gives one lock key and one set of clients.
 */
export function normalizedCluster(cluster: ClusterRef, ownAccountId: string | undefined): ClusterRef {
  const { accountId, ...rest } = cluster;
  return accountId && accountId !== OWN_ACCOUNT && accountId !== ownAccountId ? { ...rest, accountId } : rest;
}

/** `account/region/cluster`, with the own account always spelled `self` (the key locks taken before this rule used). */
export function lockKey(cluster: ClusterRef, ownAccountId: string | undefined): string {
  const normalized = normalizedCluster(cluster, ownAccountId);
  return `${normalized.accountId ?? OWN_ACCOUNT}/${normalized.region}/${normalized.name}`;
}

export function lockOf(deps: UpgradeDeps, cluster: ClusterRef, owner: string): UpgradeLock {
  return { table: upgradeTableName(deps), key: lockKey(cluster, deps.clients.ownAccountId), owner };
}
