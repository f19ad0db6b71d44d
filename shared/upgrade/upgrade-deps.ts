import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
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
  const target = { region: cluster.region, ...(cluster.accountId ? { accountId: cluster.accountId } : {}) };
  return { eks: deps.clients.client(EKSClient, target), ec2: deps.clients.client(EC2Client, target), autoscaling: deps.clients.client(AutoScalingClient, target) };
}

/** The lock table lives in the deployment's own account and region, whatever the cluster's. */
export function lockClient(deps: UpgradeDeps): DynamoDBClient {
  return deps.clients.client(DynamoDBClient);
}

export function lockOf(deps: UpgradeDeps, cluster: ClusterRef, owner: string): UpgradeLock {
  const table = deps.env.UPGRADE_LOCK_TABLE;
  if (!table) throw new Error('UPGRADE_LOCK_TABLE is not set (serverless/upgrade.functions.yml sets it)');
  return { table, key: `${cluster.accountId ?? 'self'}/${cluster.region}/${cluster.name}`, owner };
}
