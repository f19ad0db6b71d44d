import { MIN_HEALTHY_PERCENTAGE } from './self-managed.ts';
import type { SelfManagedChange, Stage } from './stage.ts';

/**
 * How long stages take, to size the waits between polls and to decide whether a stage fits in what is
 * left of the window. Sources: EKS API reference (control plane "within a few minutes"; 10 to 45 minutes
 * in practice), EKS user guide "Understand each phase of node updates" (setup, scale-up, one drain per batch
 * of maxUnavailable nodes, scale-down). Instance refreshes (Auto Scaling user guide, "How an instance refresh
 * works"): replaces instances in batches that keep MinHealthyPercentage of the desired capacity in service, each
 * batch a launch plus the instance warmup. `typical` sizes the first wait; `worst` is what the window must hold,
 * because a running EKS update can be neither paused nor cancelled (a refresh can, but a half-refreshed group
 * is left for the next window).
 */
export interface StageDuration {
  typicalSeconds: number;
  worstSeconds: number;
}

const MINUTE = 60;
const NODE_SETUP_SECONDS = 20 * MINUTE;
const NODE_BATCH_SECONDS = 8 * MINUTE;
/** An instance refresh's own setup, and the launch of a replacement up to InService (before its warmup). */
const REFRESH_SETUP_SECONDS = 2 * MINUTE;
const INSTANCE_LAUNCH_SECONDS = 3 * MINUTE;

export function expectedDuration(stage: Stage): StageDuration {
  switch (stage.kind) {
    case 'control-plane':
      return { typicalSeconds: 25 * MINUTE, worstSeconds: 45 * MINUTE };
    case 'addons':
    case 'kube-proxy':
      return { typicalSeconds: 4 * MINUTE, worstSeconds: 15 * MINUTE };
    case 'nodegroups': {
      // Groups of a wave update in parallel: the wave takes as long as its slowest group.
      const typical = Math.max(...stage.nodegroups.map((nodegroup) => NODE_SETUP_SECONDS + batchesOf(nodegroup) * NODE_BATCH_SECONDS));
      return { typicalSeconds: typical, worstSeconds: typical * 2 };
    }
    case 'self-managed': {
      // Groups of a stage refresh in parallel: the stage takes as long as its slowest group.
      const typical = Math.max(...stage.groups.map((group) => REFRESH_SETUP_SECONDS + refreshBatchesOf(group) * (INSTANCE_LAUNCH_SECONDS + group.warmupSeconds)));
      return { typicalSeconds: typical, worstSeconds: typical * 2 };
    }
  }
}

/** Batches of a refresh: as many instances at a time as MinHealthyPercentage lets go out of service, at least one. */
function refreshBatchesOf(group: Pick<SelfManagedChange, 'desiredCapacity'>): number {
  if (group.desiredCapacity <= 0) return 0;
  const perBatch = Math.max(1, Math.floor((group.desiredCapacity * (100 - MIN_HEALTHY_PERCENTAGE)) / 100));
  return Math.ceil(group.desiredCapacity / perBatch);
}

function batchesOf(nodegroup: { desiredSize: number; maxUnavailable?: number; maxUnavailablePercentage?: number }): number {
  const unavailable = nodegroup.maxUnavailablePercentage ? Math.floor((nodegroup.desiredSize * nodegroup.maxUnavailablePercentage) / 100) : (nodegroup.maxUnavailable ?? 1);
  return Math.ceil(Math.max(1, nodegroup.desiredSize) / Math.max(1, unavailable));
}

/** Step Functions Wait states take whole seconds; below a minute polling only costs transitions. */
export const MIN_POLL_SECONDS = 60;
/** An overdue update is checked at least every 15 minutes: late, but not much later than it ends. */
export const MAX_POLL_SECONDS = 15 * MINUTE;

/** After the typical duration, polls come at growing fractions of it: 15 %, then ×1.6 each time. */
const OVERDUE_FIRST_FRACTION = 0.15;
const OVERDUE_GROWTH = 1.6;

/**
 * The wait before the next DescribeUpdate: the whole typical duration first (asking earlier mostly finds
 * it running), then growing fractions of it, between a minute and 15 minutes. Not a fixed 30 s loop: each
 * poll costs state transitions, which is what Standard workflows bill; the growth bounds both the number of
 * polls of a slow stage and how late its end is noticed.
 */
export function nextPollSeconds(duration: StageDuration, _elapsedSeconds: number, polls: number): number {
  if (polls === 0) return Math.max(MIN_POLL_SECONDS, duration.typicalSeconds);
  const interval = duration.typicalSeconds * OVERDUE_FIRST_FRACTION * OVERDUE_GROWTH ** (polls - 1);
  return Math.round(Math.min(MAX_POLL_SECONDS, Math.max(MIN_POLL_SECONDS, interval)));
}
