import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';

/** The AWS clients an upgrade uses: EKS for everything, EC2 for the subnets' free addresses, Auto Scaling to find self-managed groups. */
export interface UpgradeClients {
  eks: EKSClient;
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
}
