import { type AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { resolveCluster } from '../config/clusters.ts';
import type { Config } from '../config/schema.ts';
import type { ReconcileRequest } from './reconcile.ts';
import type { TagsTrigger } from './trigger-events.ts';
import { CLUSTER_TAG_PREFIX, EKS_CLUSTER_NAME_TAG, NODEGROUP_NAME_TAG } from './well-known-tags.ts';

export type ResolvedTrigger = { request: ReconcileRequest } | { skip: string };

/**
 * Which configured cluster, and which part of it, an event is about. An ASG names its cluster in its tags
 * (EKS: eks:cluster-name and eks:nodegroup-name; self-managed: kubernetes.io/cluster/<name>) or in the
 * configuration's selfManagedGroups.
 */
export async function resolveTrigger(trigger: TagsTrigger, config: Config, autoscalingFor: (where: { region: string; accountId: string }) => AutoScalingClient): Promise<ResolvedTrigger> {
  switch (trigger.kind) {
    case 'ignore':
      return { skip: trigger.reason };
    case 'full':
      return { request: {} };
    case 'nodegroup': {
      const cluster = configured(config, trigger.cluster, trigger);
      return cluster ? { request: { clusters: [cluster], scope: { nodegroups: [trigger.nodegroup] } } } : { skip: `cluster ${trigger.cluster} is not configured` };
    }
    case 'cluster-drift': {
      const names = [trigger.clusterHint[EKS_CLUSTER_NAME_TAG], ...Object.keys(trigger.clusterHint).filter((key) => key.startsWith(CLUSTER_TAG_PREFIX)).map((key) => key.slice(CLUSTER_TAG_PREFIX.length))];
      const cluster = names.map((name) => (name ? configured(config, name, trigger) : undefined)).find((name) => name !== undefined);
      return cluster ? { request: { clusters: [cluster] } } : { skip: 'the resource names no configured cluster' };
    }
    case 'asg': {
      const output = await autoscalingFor(trigger).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [trigger.asgName] }));
      const asg = output.AutoScalingGroups?.[0];
      if (!asg) return { skip: `ASG ${trigger.asgName} no longer exists` };
      const tags = Object.fromEntries((asg.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      const nodegroup = tags[NODEGROUP_NAME_TAG];
      const candidates = [tags[EKS_CLUSTER_NAME_TAG], ...Object.keys(tags).filter((key) => key.startsWith(CLUSTER_TAG_PREFIX)).map((key) => key.slice(CLUSTER_TAG_PREFIX.length)), ...Object.entries(config.tags.selfManagedGroups).filter(([, groups]) => groups.includes(trigger.asgName)).map(([name]) => name)];
      const cluster = candidates.map((name) => (name ? configured(config, name, trigger) : undefined)).find((name) => name !== undefined);
      if (!cluster) return { skip: `ASG ${trigger.asgName} belongs to no configured cluster` };
      const instances = trigger.instanceIds ? { instanceIds: trigger.instanceIds } : {};
      return { request: { clusters: [cluster], scope: { nodegroups: nodegroup ? [nodegroup] : [], asgNames: [trigger.asgName], ...instances } } };
    }
  }
}

function configured(config: Config, name: string, where: { region: string; accountId: string }): string | undefined {
  return resolveCluster(config, name, where)?.name;
}
