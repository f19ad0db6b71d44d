import { type AutoScalingClient, CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { resolveCluster } from '../../config/clusters.ts';
import type { Config } from '../../config/schema.ts';
import { KubernetesAccessError, KubernetesClient, KubernetesClientError } from '../../k8s/client.ts';
import type { FunctionDeps } from '../../runtime/deps.ts';
import { upgradeClientsFor } from '../clients.ts';
import { type DrainResult, drainNode } from './drain.ts';
import type { LifecycleActionEvent } from './event.ts';
import { DRAIN_HOOK_HEARTBEAT_SECONDS, DRAIN_HOOK_NAME } from './hook.ts';
import { isNodeOfInstance, type Node } from './pods.ts';

export type NodeDrainDeps = Pick<FunctionDeps, 'config' | 'clients' | 'notifier' | 'clock' | 'env'>;

/** Kept back from the Lambda's remaining time for CompleteLifecycleAction and the report. */
const RESERVE_MS = 30_000;
/** A heartbeat when the hook would time out within this (the event reached the function late, or a long drain). */
const HEARTBEAT_MARGIN_MS = 120_000;
/** What a drain needs beyond AmazonEKSViewPolicy (README, node drain). */
const DRAIN_ACCESS_REMEDY =
  "give eksops's access entry the Kubernetes group eksops:node-drainer, bound to a ClusterRole allowing get, list and patch on nodes, get and list on pods, and create on pods/eviction (README, node drain); without it the refresh replaces nodes without draining them";

export type DrainStatus = 'drained' | 'incomplete' | 'node-not-found' | 'kubernetes-unreachable' | 'cluster-not-configured' | 'not-eksops-hook' | 'dry-run';

export interface NodeDrainOutcome {
  status: DrainStatus;
  groupName: string;
  instanceId: string;
  cluster?: string;
  node?: string;
  /** Why the drain did not happen or did not finish. */
  reason?: string;
  remedy?: string;
  evicted: string[];
  left: DrainResult['left'];
  skipped: DrainResult['skipped'];
  seconds: number;
  /** The lifecycle action: completed with CONTINUE now, or already ended (completed by someone, or timed out). */
  completion: 'CONTINUE' | 'already-ended' | 'not-ours';
  heartbeats: number;
}

/**
 * One instance in Terminating:Wait: find its cluster and node, drain it, let Auto Scaling continue. Every path ends
 * with CompleteLifecycleAction CONTINUE (the hook is eksops's own and its only purpose is the drain): a node that is
 * not in Kubernetes, a cluster eksops cannot reach, a drain that ran out of time, and a group tagged for a cluster
 * that is not in the configuration (eksops does not touch that cluster's Kubernetes API, but holding the instance
 * until the heartbeat timeout would only delay someone's refresh by 15 minutes for nothing).
 */
export async function handleLifecycleAction(event: LifecycleActionEvent, deps: NodeDrainDeps, remainingMs: number): Promise<NodeDrainOutcome> {
  const started = deps.clock.now();
  const detail = event.detail;
  const base = { groupName: detail.AutoScalingGroupName, instanceId: detail.EC2InstanceId, evicted: [], left: [], skipped: [], heartbeats: 0 };
  const elapsed = () => Math.round((deps.clock.now().getTime() - started.getTime()) / 1000);
  // The EventBridge rule matches eksops's hook name; a rule edited by hand must not make eksops answer for another hook.
  if (detail.LifecycleHookName !== DRAIN_HOOK_NAME) return { ...base, status: 'not-eksops-hook', reason: `lifecycle hook ${detail.LifecycleHookName} is not eksops's (${DRAIN_HOOK_NAME}): left to its owner`, seconds: 0, completion: 'not-ours' };

  const accountId = event.account === deps.clients.ownAccountId ? undefined : event.account;
  const clients = upgradeClientsFor(deps.clients, { region: event.region, accountId });
  const complete = () => completeAction(clients.autoscaling, event);
  const group = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [detail.AutoScalingGroupName] }))).AutoScalingGroups?.[0];
  const cluster = clusterOfGroup(group?.Tags ?? [], deps.config, { region: event.region, accountId: event.account, ownAccountId: deps.clients.ownAccountId });
  if ('notConfigured' in cluster) return { ...base, status: 'cluster-not-configured', reason: cluster.notConfigured, seconds: elapsed(), completion: await complete() };

  const availabilityZone = group?.Instances?.find((instance) => instance.InstanceId === detail.EC2InstanceId)?.AvailabilityZone;
  let heartbeats = 0;
  const hookDeadline = { at: new Date(event.time).getTime() + DRAIN_HOOK_HEARTBEAT_SECONDS * 1000 };
  const deadline = new Date(started.getTime() + Math.max(0, Math.min(deps.config.upgrade.drainTimeoutSeconds * 1000, remainingMs - RESERVE_MS)));
  try {
    const description = await clients.eks.send(new DescribeClusterCommand({ name: cluster.name }));
    if (!description.cluster) throw new Error(`EKS answered DescribeCluster for ${cluster.name} without a cluster`);
    const region = await clients.eks.config.region();
    const kubernetes = KubernetesClient.forEksCluster(description.cluster, { region, credentials: clients.eks.config.credentials, clock: deps.clock });
    const nodes = (await kubernetes.list<Node>('/api/v1/nodes')).items;
    const node = nodes.find((candidate) => isNodeOfInstance(candidate, detail.EC2InstanceId, availabilityZone));
    if (node && deps.config.dryRun) {
      // Dry run: nothing is cordoned or evicted. The action is still completed: holding the instance would only make
      // the refresh (started by someone while eksops plans only) wait for the heartbeat timeout.
      return { ...base, cluster: cluster.name, node: node.metadata.name, status: 'dry-run', reason: 'dryRun is on: the node was neither cordoned nor drained', seconds: elapsed(), completion: await complete() };
    }
    if (!node) {
      return { ...base, cluster: cluster.name, status: 'node-not-found', reason: `no node of cluster ${cluster.name} has spec.providerID aws:///${availabilityZone ?? '<zone>'}/${detail.EC2InstanceId} (it never joined, or was deleted): nothing to drain`, seconds: elapsed(), completion: await complete() };
    }
    const result = await drainNode(kubernetes, node, {
      clock: deps.clock,
      deadline,
      beforeWait: async () => {
        if (hookDeadline.at - deps.clock.now().getTime() > HEARTBEAT_MARGIN_MS) return;
        await clients.autoscaling.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: detail.AutoScalingGroupName, LifecycleHookName: detail.LifecycleHookName, LifecycleActionToken: detail.LifecycleActionToken, InstanceId: detail.EC2InstanceId }));
        hookDeadline.at = deps.clock.now().getTime() + DRAIN_HOOK_HEARTBEAT_SECONDS * 1000;
        heartbeats += 1;
      },
    });
    const status: DrainStatus = result.finished ? 'drained' : 'incomplete';
    return {
      ...base,
      cluster: cluster.name,
      node: node.metadata.name,
      status,
      ...(result.finished ? {} : { reason: `the drain stopped after ${elapsed()} s (its limit is ${Math.round((deadline.getTime() - started.getTime()) / 1000)} s) with pods still on the node; the instance is terminated anyway` }),
      evicted: result.evicted,
      left: result.left,
      skipped: result.skipped,
      heartbeats,
      seconds: elapsed(),
      completion: await complete(),
    };
  } catch (error) {
    if (!(error instanceof KubernetesClientError)) throw error;
    const forbidden = error instanceof KubernetesAccessError;
    return { ...base, cluster: cluster.name, status: 'kubernetes-unreachable', reason: error.message, remedy: forbidden ? DRAIN_ACCESS_REMEDY : error.remedy, heartbeats, seconds: elapsed(), completion: await complete() };
  }
}

/** CONTINUE; an action that has already ended (completed by a retry of this event, or timed out) is fine. */
async function completeAction(autoscaling: AutoScalingClient, event: LifecycleActionEvent): Promise<NodeDrainOutcome['completion']> {
  const detail = event.detail;
  try {
    await autoscaling.send(
      new CompleteLifecycleActionCommand({ AutoScalingGroupName: detail.AutoScalingGroupName, LifecycleHookName: detail.LifecycleHookName, LifecycleActionToken: detail.LifecycleActionToken, LifecycleActionResult: 'CONTINUE' }),
    );
    return 'CONTINUE';
  } catch (error) {
    // Auto Scaling answers ValidationError "No active Lifecycle Action found with token …" once the action has ended.
    if (error instanceof Error && error.name === 'ValidationError' && /No active Lifecycle Action/i.test(error.message)) return 'already-ended';
    throw error;
  }
}

const CLUSTER_TAG = /^kubernetes\.io\/cluster\/(.+)$/;

/**
 * The cluster of a self-managed group: its `kubernetes.io/cluster/<name>` tag (owned or shared), which must name a
 * cluster of the configuration in the event's account and region. Never another cluster.
 */
export function clusterOfGroup(tags: readonly { Key?: string | undefined; Value?: string | undefined }[], config: Pick<Config, 'clusters' | 'region'>, where: { region: string; accountId: string; ownAccountId: string | undefined }): { name: string } | { notConfigured: string } {
  const named = tags.flatMap((tag) => {
    const match = CLUSTER_TAG.exec(tag.Key ?? '');
    return match?.[1] && (tag.Value === 'owned' || tag.Value === 'shared') ? [match[1]] : [];
  });
  if (named.length === 0) return { notConfigured: 'the group has no kubernetes.io/cluster/<name> tag (owned or shared): not a node group eksops knows' };
  const configured = named.find((name) => resolveCluster(config, name, where) !== undefined);
  return configured ? { name: configured } : { notConfigured: `cluster ${named.join(', ')} (tag kubernetes.io/cluster/…) is not configured in ${where.accountId}/${where.region}: eksops does not drain it` };
}
