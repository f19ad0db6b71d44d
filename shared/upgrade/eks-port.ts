import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { SSMClient } from '@aws-sdk/client-ssm';

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
