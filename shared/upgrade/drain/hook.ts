import { type AutoScalingClient, DescribeLifecycleHooksCommand, type LifecycleHook, PutLifecycleHookCommand } from '@aws-sdk/client-auto-scaling';

/**
 * eksops's termination lifecycle hook on a self-managed group: while an instance refresh (or a scale-in) terminates
 * an instance, Auto Scaling holds it in Terminating:Wait and sends "EC2 Instance-terminate Lifecycle Action" to
 * EventBridge, which starts the nodeDrain function (functions/node-drain); it cordons and drains the node, then
 * completes the action. The pattern eksctl and AWS's node-drainer samples use.
 */
export const DRAIN_HOOK_NAME = 'eksops-node-drain';

/**
 * Covers the whole drain: the nodeDrain function's timeout is 900 s (serverless/upgrade.functions.yml) and the drain
 * stops by upgrade.drainTimeoutSeconds (at most 780), so the hook never times out on a drain that runs; if the event reached the
 * function late, it records a heartbeat (drain.ts). PutLifecycleHook allows 30 to 7200 s.
 */
export const DRAIN_HOOK_HEARTBEAT_SECONDS = 900;

/** The hook eksops wants: termination, CONTINUE when nobody answers (a drain must never keep a refresh waiting forever). */
export const DESIRED_DRAIN_HOOK = {
  LifecycleHookName: DRAIN_HOOK_NAME,
  LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
  HeartbeatTimeout: DRAIN_HOOK_HEARTBEAT_SECONDS,
  DefaultResult: 'CONTINUE',
} as const;

export type DrainHookChange = 'created' | 'converged' | 'unchanged';

/** What to write for the hook as it is (pure): nothing when it already matches. */
export function drainHookChange(existing: LifecycleHook | undefined): DrainHookChange {
  if (!existing) return 'created';
  const same =
    existing.LifecycleTransition === DESIRED_DRAIN_HOOK.LifecycleTransition && existing.HeartbeatTimeout === DESIRED_DRAIN_HOOK.HeartbeatTimeout && existing.DefaultResult === DESIRED_DRAIN_HOOK.DefaultResult;
  return same ? 'unchanged' : 'converged';
}

/**
 * Makes sure the group has eksops's drain hook, idempotently: DescribeLifecycleHooks first, PutLifecycleHook only
 * when it is missing or differs (a hook of that name is eksops's own: it is converged). Hooks with other names are
 * other people's and are never read for writing nor changed.
 */
export async function ensureDrainHook(autoscaling: AutoScalingClient, groupName: string): Promise<DrainHookChange> {
  const described = await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: groupName, LifecycleHookNames: [DRAIN_HOOK_NAME] }));
  const existing = described.LifecycleHooks?.find((hook) => hook.LifecycleHookName === DRAIN_HOOK_NAME);
  const change = drainHookChange(existing);
  if (change === 'unchanged') return change;
  await autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: groupName, ...DESIRED_DRAIN_HOOK }));
  return change;
}
