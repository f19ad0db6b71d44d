import { DescribeInstancesCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';

/**
 * Capacity EKS's own API does not list, seen from EC2 when eksops does not read the cluster API
 * (upgrade.kubernetesChecks off): instances Karpenter launched for the cluster. Karpenter tags each instance it
 * launches with `karpenter.sh/nodepool` and the cluster's `kubernetes.io/cluster/<name>` tag (karpenter.sh, "Tags");
 * instances some other tooling launched may only carry `aws:eks:cluster-name`, so both are asked for and the
 * instances counted once. Their kubelet versions are not known from EC2: the check reports the skew as unknown.
 */
export interface UnmanagedCapacity {
  /** Pending or running instances tagged karpenter.sh/nodepool for this cluster. */
  karpenterInstances: number;
  /** Their node pools (the tag's values), at most MAX_NODEPOOLS_NAMED. */
  nodepools: string[];
  /** The first MAX_INSTANCES_NAMED instance ids. */
  instanceIds: string[];
  /** More pages than MAX_PAGES: the count is a lower bound. */
  truncated: boolean;
}

export type UnmanagedCapacityObservation = UnmanagedCapacity | { error: string };

export const KARPENTER_NODEPOOL_TAG = 'karpenter.sh/nodepool';
export const MAX_INSTANCES_NAMED = 10;
export const MAX_NODEPOOLS_NAMED = 10;
/** DescribeInstances pages of 1000 (its maximum): 20 pages is 20,000 instances, well past any one cluster. */
const PAGE_SIZE = 1000;
const MAX_PAGES = 20;

export async function observeUnmanagedCapacity(ec2: EC2Client, clusterName: string, options: { signal?: AbortSignal } = {}): Promise<UnmanagedCapacityObservation> {
  const common: Filter[] = [
    { Name: 'tag-key', Values: [KARPENTER_NODEPOOL_TAG] },
    // Terminated instances stay listed for about an hour; stopped ones run no kubelet.
    { Name: 'instance-state-name', Values: ['pending', 'running'] },
  ];
  const ids = new Set<string>();
  const nodepools = new Set<string>();
  let truncated = false;
  try {
    for (const clusterFilter of [{ Name: 'tag-key', Values: [`kubernetes.io/cluster/${clusterName}`] }, { Name: 'tag:aws:eks:cluster-name', Values: [clusterName] }]) {
      let nextToken: string | undefined;
      let pages = 0;
      do {
        if (pages >= MAX_PAGES) {
          truncated = true;
          break;
        }
        const page = await ec2.send(new DescribeInstancesCommand({ Filters: [...common, clusterFilter], MaxResults: PAGE_SIZE, ...(nextToken ? { NextToken: nextToken } : {}) }), options.signal ? { abortSignal: options.signal } : undefined);
        pages += 1;
        for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
          if (!instance.InstanceId) continue;
          ids.add(instance.InstanceId);
          const nodepool = instance.Tags?.find((tag) => tag.Key === KARPENTER_NODEPOOL_TAG)?.Value;
          if (nodepool !== undefined && nodepools.size < MAX_NODEPOOLS_NAMED) nodepools.add(nodepool);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
  } catch (error) {
    // An SDK service error (AccessDenied, throttling beyond the SDK's retries): the check says the capacity is unknown.
    if (error instanceof Error && '$metadata' in error) return { error: `${error.name}: ${error.message}` };
    throw error;
  }
  return { karpenterInstances: ids.size, nodepools: [...nodepools], instanceIds: [...ids].slice(0, MAX_INSTANCES_NAMED), truncated };
}
