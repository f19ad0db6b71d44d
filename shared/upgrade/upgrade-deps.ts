import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
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

const ownAccounts = new WeakMap<AwsClientFactory, Promise<string | undefined>>();

/**
 * The deployment's own account ID: EKSOPS_ACCOUNT_ID when set, else the account of the invoked function's
 * ARN (the Lambda context), else STS GetCallerIdentity (allowed without any IAM permission), once per factory.
 */
export async function ownAccountOf(deps: Pick<UpgradeDeps, 'clients' | 'env'>, invokedFunctionArn?: string): Promise<string | undefined> {
  const fromEnv = deps.env.EKSOPS_ACCOUNT_ID;
  if (fromEnv && /^\d{12}$/.test(fromEnv)) return fromEnv;
  const fromArn = invokedFunctionArn?.split(':')[4];
  if (fromArn && /^\d{12}$/.test(fromArn)) return fromArn;
  let known = ownAccounts.get(deps.clients);
  if (!known) {
    known = deps.clients
      .client(STSClient)
      .send(new GetCallerIdentityCommand({}))
      .then((identity) => identity.Account);
    // A failed look-up is not remembered: the next invocation asks again.
    known.catch(() => ownAccounts.delete(deps.clients));
    ownAccounts.set(deps.clients, known);
  }
  return known;
}

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

export async function lockOf(deps: UpgradeDeps, cluster: ClusterRef, owner: string, invokedFunctionArn?: string): Promise<UpgradeLock> {
  const ownAccountId = cluster.accountId && cluster.accountId !== OWN_ACCOUNT ? await ownAccountOf(deps, invokedFunctionArn) : undefined;
  return { table: upgradeTableName(deps), key: lockKey(cluster, ownAccountId), owner };
}
