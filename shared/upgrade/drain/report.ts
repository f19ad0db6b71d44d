import { type Block, context, header, list, section } from '../../notify/blocks.ts';
import { escapeMrkdwn, inlineCode } from '../../notify/escape.ts';
import type { Notification } from '../../notify/notifier.ts';
import type { NodeDrainOutcome } from './lifecycle-action.ts';

/** The structured log line of one node's drain (one per lifecycle action). */
export function drainLogFields(outcome: NodeDrainOutcome): Record<string, unknown> {
  return {
    status: outcome.status,
    cluster: outcome.cluster,
    autoScalingGroup: outcome.groupName,
    instanceId: outcome.instanceId,
    node: outcome.node,
    podsEvicted: outcome.evicted.length,
    podsLeft: outcome.left.length,
    podsSkipped: outcome.skipped.length,
    seconds: outcome.seconds,
    lifecycleAction: outcome.completion,
    heartbeats: outcome.heartbeats,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.left.length > 0 ? { left: outcome.left.slice(0, 50) } : {}),
  };
}

const MAX_PODS_SHOWN = 20;

/**
 * Slack, only for a node whose drain did not finish (pods left when time ran out, or the cluster API unreachable or
 * forbidding): people need to know workloads were cut without their budget. A drained node, a node that never joined
 * (nothing to drain) and a cluster that is not eksops's are in the logs only. Every name comes from the cluster or
 * the account: escaped.
 */
export function drainNotification(outcome: NodeDrainOutcome): Notification | undefined {
  if (outcome.status !== 'incomplete' && outcome.status !== 'kubernetes-unreachable') return undefined;
  const where = `${inlineCode(outcome.cluster ?? '?')} node ${inlineCode(outcome.node ?? outcome.instanceId)} (${inlineCode(outcome.instanceId)}, group ${inlineCode(outcome.groupName)})`;
  const blocks: Block[] = [
    header('eksops node drain did not finish'),
    section(`:warning: ${where}: ${escapeMrkdwn(outcome.reason ?? 'the drain did not finish')}`),
  ];
  if (outcome.left.length > 0) blocks.push(list(outcome.left.map((pod) => `${inlineCode(pod.pod)}: ${escapeMrkdwn(pod.reason)}`), { title: `*Pods left on the node (${outcome.left.length})*`, maxItems: MAX_PODS_SHOWN }));
  if (outcome.remedy) blocks.push(section(`*What to do*: ${escapeMrkdwn(outcome.remedy)}`));
  blocks.push(context([`${outcome.evicted.length} pod(s) evicted in ${outcome.seconds} s; the instance refresh continues (lifecycle action ${outcome.completion}).`]));
  return { capability: 'upgrade', blocks };
}
