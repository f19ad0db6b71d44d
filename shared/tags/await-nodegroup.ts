import { DescribeNodegroupCommand, type EKSClient } from '@aws-sdk/client-eks';
import type { Clock } from '../time/clock.ts';
import { withEksRequestLimitRetry } from '../aws/eks-request-limit-retry.ts';

export interface AwaitOptions {
  clock: Clock;
  /** How long to wait at most; the scheduled reconcile covers a group still not ACTIVE after that. */
  maxWaitMs: number;
  pollMs: number;
}

/**
 * CreateNodegroup and UpdateNodegroupConfig return at once while the group is CREATING or UPDATING; its
 * labels, taints and ASG are final only once it is ACTIVE. Waits (polling DescribeNodegroup on the clock)
 * until it is, or until `maxWaitMs`; returns the last status seen ('GONE' if it was deleted).
 */
export async function awaitNodegroupActive(eks: EKSClient, cluster: string, nodegroup: string, options: AwaitOptions): Promise<string> {
  const deadline = options.clock.now().getTime() + options.maxWaitMs;
  for (;;) {
    let status: string;
    try {
      const output = await withEksRequestLimitRetry(() => eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: nodegroup })), options.clock);
      status = output.nodegroup?.status ?? 'UNKNOWN';
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return 'GONE';
      throw error;
    }
    if (!['CREATING', 'UPDATING'].includes(status) || options.clock.now().getTime() + options.pollMs > deadline) return status;
    await options.clock.sleep(options.pollMs);
  }
}
