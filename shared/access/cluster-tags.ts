import { DescribeClusterCommand, type EKSClient, TagResourceCommand } from '@aws-sdk/client-eks';

/** The creator record's two EKS calls. */
export async function readCluster(eks: EKSClient, name: string) {
  const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
  return { arn: cluster?.arn, tags: cluster?.tags ?? {}, version: cluster?.version, status: cluster?.status };
}

export async function tagCluster(eks: EKSClient, arn: string, tags: Record<string, string>): Promise<void> {
  await eks.send(new TagResourceCommand({ resourceArn: arn, tags }));
}
