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

export function lockOf(deps: UpgradeDeps, cluster: ClusterRef, owner: string): UpgradeLock {
  return { table: upgradeTableName(deps), key: `${cluster.accountId ?? 'self'}/${cluster.region}/${cluster.name}`, owner };
}
