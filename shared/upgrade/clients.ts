import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientFactory } from '../aws/client-factory.ts';
import type { FunctionDeps } from '../runtime/deps.ts';
import type { ClusterRef } from './cluster-ref.ts';

/** What every upgrade task is given. */
export type UpgradeDeps = Pick<FunctionDeps, 'config' | 'clients' | 'notifier' | 'clock' | 'env'>;

/**
 * The AWS clients an upgrade uses: EKS for everything; EC2 for the subnets' free addresses and self-managed
 * groups' launch templates, AMIs and instances; Auto Scaling for self-managed groups and their instance
 * refreshes; SSM for the public parameters naming the recommended EKS-optimized AMIs.
 */
export interface UpgradeClients {
  eks: EKSClient;
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  ssm: SSMClient;
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
