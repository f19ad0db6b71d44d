import { DescribeInsightsRefreshCommand, DescribeUpdateCommand, type Update } from '@aws-sdk/client-eks';
import type { StartedUpdate } from './act.ts';
import { pollRefresh } from './act-refresh.ts';
import type { UpgradeClients } from './clients.ts';

/** Reads only: where each update a stage started stands (poll.ts decides what that means for the run). */
export interface UpdateOutcome {
  update: StartedUpdate;
  status: NonNullable<Update['status']>;
  /** EKS ErrorDetail, or an instance refresh's status and StatusReason in the same shape. */
  errors: { errorCode?: string; errorMessage?: string; resourceIds?: string[] }[];
}

/** EKS and Auto Scaling emit no completion event the run listens to: the state of every update of the stage, from DescribeUpdate / DescribeInstanceRefreshes. */
export async function pollUpdates(clients: UpgradeClients, clusterName: string, updates: readonly StartedUpdate[]): Promise<UpdateOutcome[]> {
  return Promise.all(
    updates.map(async (update) => {
      if (update.autoScalingGroup) return { update, ...(await pollRefresh(clients, update.autoScalingGroup, update.id)) };
      if (update.insightsRefresh) return { update, ...(await pollInsightsRefresh(clients, clusterName)) };
      const described = (await clients.eks.send(new DescribeUpdateCommand({ name: clusterName, updateId: update.id, ...(update.nodegroup ? { nodegroupName: update.nodegroup } : {}), ...(update.addon ? { addonName: update.addon } : {}) }))).update;
      return { update, status: described?.status ?? 'InProgress', errors: described?.errors ?? [] };
    }),
  );
}

/**
 * An insights refresh that ends, COMPLETED or FAILED, ends the wait: the next step reads the insights and decides
 * (a refresh that failed leaves them stale, and the hop waits for the next window). Never a failed stage.
 */
async function pollInsightsRefresh(clients: UpgradeClients, clusterName: string): Promise<Pick<UpdateOutcome, 'status' | 'errors'>> {
  const refresh = await clients.eks.send(new DescribeInsightsRefreshCommand({ clusterName }));
  return { status: refresh.status === 'IN_PROGRESS' ? 'InProgress' : 'Successful', errors: [] };
}
