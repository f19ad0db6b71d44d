import { expectedDuration } from './durations.ts';
import type { TimelineEntry } from './run-state.ts';
import type { ClusterSnapshot, InsightSnapshot } from './snapshot.ts';
import { compareMinor } from './versions.ts';

/**
 * What the hop boundary needs to know about hops already made: how many this window did (upgrade.hopsPerWindow),
 * and when the last one finished, at the latest (the bake period, and the freshness of the insights that gate the
 * next one). Two sources, the later wins: the run's own timeline (its control-plane stages, ended when a poll saw
 * them Successful) and EKS's update history, which outlives the run but dates an update only by its start
 * (DescribeUpdate has no end time): its start plus the longest a control-plane update takes.
 */
export interface HopHistory {
  hopsThisWindow: number;
  previousHopEndedAt?: string;
  /** The hop (its target) for which this run already asked EKS to re-evaluate the insights. */
  insightsRefreshedFor?: string;
}

export function hopHistory(cluster: Pick<ClusterSnapshot, 'lastVersionUpdate'>, timeline: readonly TimelineEntry[], insightsRefreshedFor?: string): HopHistory {
  const hops = timeline.filter((entry) => entry.change?.kind === 'control-plane' && entry.outcome === 'done');
  const ends = hops.flatMap((entry) => (entry.endedAt ? [Date.parse(entry.endedAt)] : []));
  if (cluster.lastVersionUpdate) ends.push(Date.parse(cluster.lastVersionUpdate.createdAt) + CONTROL_PLANE_WORST_MS);
  const latest = Math.max(...ends.filter(Number.isFinite));
  return { hopsThisWindow: hops.length, ...(Number.isFinite(latest) ? { previousHopEndedAt: new Date(latest).toISOString() } : {}), ...(insightsRefreshedFor ? { insightsRefreshedFor } : {}) };
}

const CONTROL_PLANE_WORST_MS = expectedDuration({ kind: 'control-plane', from: '1.0', to: '1.1' }).worstSeconds * 1000;

/**
 * The insights that gate a hop to `to`: those about a version at or below it (EKS evaluates each insight for a
 * version: ERROR for the next minor, WARNING for later ones, so a later version's insight only becomes exact once
 * the cluster is one minor below it). An insight whose version cannot be read gates every hop.
 */
export function gatingInsights(insights: readonly InsightSnapshot[], to: string): InsightSnapshot[] {
  return insights.filter((insight) => {
    try {
      return compareMinor(insight.kubernetesVersion, to) <= 0;
    } catch {
      return true;
    }
  });
}

/** Gating insights EKS has not evaluated since the previous hop finished: they describe the cluster as it was. */
export function staleInsights(insights: readonly InsightSnapshot[], to: string, previousHopEndedAt: string | undefined): InsightSnapshot[] {
  if (!previousHopEndedAt) return [];
  const ended = Date.parse(previousHopEndedAt);
  return gatingInsights(insights, to).filter((insight) => !insight.lastRefreshTime || !(Date.parse(insight.lastRefreshTime) > ended));
}
