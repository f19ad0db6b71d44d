import { type CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClusterCommand, DescribeUpdateCommand, type EKSClient, ListUpdatesCommand, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { eksLogGroupName } from '../log-source.ts';
import type { ClusterLoggingSnapshot } from './snapshot.ts';

export type EksReader = EKSClient;
export type LogsReader = CloudWatchLogsClient;

/** Reads the cluster's logging, its update in progress, its log group and that group's subscription filters. */
export async function observeClusterLogging(cluster: string, eks: EksReader, logs: LogsReader): Promise<ClusterLoggingSnapshot> {
  const snapshot: ClusterLoggingSnapshot = { cluster, enabledTypes: [], filters: [] };
  // Updates first, then the cluster: a logging update that finished between the two calls would otherwise
  // show as still missing and be requested again (EKS answers "No changes needed").
  let running: string | undefined;
  try {
    running = await updateInProgress(cluster, eks);
    const described = await eks.send(new DescribeClusterCommand({ name: cluster }));
    snapshot.status = described.cluster?.status ?? 'UNKNOWN';
    snapshot.enabledTypes = (described.cluster?.logging?.clusterLogging ?? []).filter((setup) => setup.enabled).flatMap((setup) => setup.types ?? []);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return snapshot;
    throw error;
  }
  if (running) snapshot.updateInProgress = running;
  const logGroup = eksLogGroupName(cluster);
  const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroup }));
  const group = groups.logGroups?.find((candidate) => candidate.logGroupName === logGroup);
  if (!group) return snapshot;
  snapshot.logGroup = { ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}), ...(group.kmsKeyId ? { kmsKeyId: group.kmsKeyId } : {}) };
  const filters = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: logGroup }));
  snapshot.filters = (filters.subscriptionFilters ?? []).map((filter) => ({ filterName: filter.filterName ?? '', destinationArn: filter.destinationArn ?? '' }));
  return snapshot;
}

// EKS lists update ids newest last, without their status: only the recent ones can still run.
async function updateInProgress(cluster: string, eks: EksReader): Promise<string | undefined> {
  const ids = (await eks.send(new ListUpdatesCommand({ name: cluster }))).updateIds ?? [];
  for (const updateId of ids.slice(-5).reverse()) {
    const { update } = await eks.send(new DescribeUpdateCommand({ name: cluster, updateId }));
    if (update?.status === 'InProgress') return updateId;
  }
  return undefined;
}
