import {
  type DescribeInsightCommandInput,
  type DescribeInsightCommandOutput,
  type Insight,
  type InsightStatusValue,
  type ListInsightsCommandInput,
  type ListInsightsCommandOutput,
  type DescribeInsightsRefreshCommandInput,
  type DescribeInsightsRefreshCommandOutput,
  type StartInsightsRefreshCommandInput,
  type StartInsightsRefreshCommandOutput,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import type { SandboxEks } from './eks.ts';

export interface InsightSeed {
  name: string;
  /** The version the insight is about: the one the cluster would upgrade to. */
  kubernetesVersion: string;
  status: InsightStatusValue;
  reason?: string;
  recommendation?: string;
  /** When EKS last evaluated it; default: now. */
  lastRefreshTime?: Date;
}

/** How often EKS re-evaluates a cluster's insights on its own (EKS user guide, cluster insights: every 24 hours). */
export const INSIGHT_REFRESH_MS = 24 * 3600_000;
/** How long an on-demand refresh (StartInsightsRefresh) takes here before it is COMPLETED. */
const ON_DEMAND_REFRESH_MS = 2 * 60_000;

/**
 * EKS Upgrade Insights in the in-memory account (ListInsights, DescribeInsight, StartInsightsRefresh,
 * DescribeInsightsRefresh). EKS re-evaluates them every 24 hours (lastRefreshTime moves; the status stays what the
 * seed or setStatus says), or on demand. EKS no longer refuses UpdateClusterVersion over failing insights (the
 * enforcement was rolled back; `force` is accepted and changes nothing), so nothing here gates an update.
 */
export class SandboxEksInsights implements SandboxService {
  readonly clientName = 'EKSClient';
  readonly label = 'eks';
  readonly #insights = new Map<string, Insight[]>();
  readonly #eks: SandboxEks;
  readonly #clock: Clock;

  readonly #refreshes = new Map<string, { startedAt: Date; endsAt: Date }>();

  constructor(eks: SandboxEks, clock: Clock) {
    this.#eks = eks;
    this.#clock = clock;
  }

  readonly commands = {
    ListInsightsCommand: (input: ListInsightsCommandInput, ctx: CallContext): ServiceOutput<ListInsightsCommandOutput> => {
      this.#eks.clusterOf(ctx, input.clusterName ?? '');
      const filter = input.filter;
      const insights = this.#of(ctx, input.clusterName ?? '').filter(
        (insight) =>
          (!filter?.kubernetesVersions || filter.kubernetesVersions.includes(insight.kubernetesVersion ?? '')) &&
          (!filter?.statuses || filter.statuses.includes(insight.insightStatus?.status ?? 'UNKNOWN')) &&
          (!filter?.categories || filter.categories.includes(insight.category ?? 'UPGRADE_READINESS')),
      );
      return { insights: insights.map(({ id, name, category, kubernetesVersion, lastRefreshTime, lastTransitionTime, description, insightStatus }) => ({ id, name, category, kubernetesVersion, lastRefreshTime, lastTransitionTime, description, insightStatus })) };
    },
    StartInsightsRefreshCommand: (input: StartInsightsRefreshCommandInput, ctx: CallContext): ServiceOutput<StartInsightsRefreshCommandOutput> => {
      this.#eks.clusterOf(ctx, input.clusterName ?? '');
      const key = this.#eks.clusterKey(ctx, input.clusterName ?? '');
      const now = this.#clock.now();
      const running = this.#refreshes.get(key);
      if (running && running.endsAt > now) return { status: 'IN_PROGRESS', message: 'An insights refresh is already in progress.' };
      this.#refreshes.set(key, { startedAt: now, endsAt: new Date(now.getTime() + ON_DEMAND_REFRESH_MS) });
      ctx.changed({ service: 'eks', action: 'StartInsightsRefresh', resource: input.clusterName ?? '', detail: 'insights re-evaluated on demand' });
      return { status: 'IN_PROGRESS', message: 'Insights refresh started.' };
    },
    DescribeInsightsRefreshCommand: (input: DescribeInsightsRefreshCommandInput, ctx: CallContext): ServiceOutput<DescribeInsightsRefreshCommandOutput> => {
      this.#eks.clusterOf(ctx, input.clusterName ?? '');
      const refresh = this.#refreshes.get(this.#eks.clusterKey(ctx, input.clusterName ?? ''));
      if (!refresh) throw new ResourceNotFoundException({ message: `No insights refresh found for cluster ${input.clusterName}`, $metadata: {} });
      this.#of(ctx, input.clusterName ?? '');
      const done = refresh.endsAt <= this.#clock.now();
      return { status: done ? 'COMPLETED' : 'IN_PROGRESS', startedAt: refresh.startedAt, ...(done ? { endedAt: refresh.endsAt } : {}) };
    },
    DescribeInsightCommand: (input: DescribeInsightCommandInput, ctx: CallContext): ServiceOutput<DescribeInsightCommandOutput> => {
      const insight = this.#of(ctx, input.clusterName ?? '').find((candidate) => candidate.id === input.id);
      if (!insight) throw new ResourceNotFoundException({ message: `No insight found for id: ${input.id}`, $metadata: {} });
      return { insight: structuredClone(insight) };
    },
  };

  seedInsight(target: AccountRegion, clusterName: string, seed: InsightSeed): Insight {
    this.#eks.clusterOf(target, clusterName);
    const now = seed.lastRefreshTime ?? this.#clock.now();
    const insight: Insight = {
      id: randomUUID(),
      name: seed.name,
      category: 'UPGRADE_READINESS',
      kubernetesVersion: seed.kubernetesVersion,
      lastRefreshTime: now,
      lastTransitionTime: now,
      description: `Checks for ${seed.name}`,
      insightStatus: { status: seed.status, reason: seed.reason ?? (seed.status === 'PASSING' ? 'No issue detected.' : `${seed.name} found.`) },
      recommendation: seed.recommendation ?? 'Resolve the findings before upgrading.',
      additionalInfo: {},
      resources: [],
    };
    const key = this.#eks.clusterKey(target, clusterName);
    this.#insights.set(key, [...(this.#insights.get(key) ?? []), insight]);
    return structuredClone(insight);
  }

  /** The insight's status changes (the finding was fixed, or a new one appeared). */
  setStatus(target: AccountRegion, clusterName: string, name: string, status: InsightStatusValue): void {
    for (const insight of this.#of(target, clusterName)) if (insight.name === name) insight.insightStatus = { status, reason: status === 'PASSING' ? 'No issue detected.' : `${name} found.` };
  }

  /**
   * The cluster's insights as of now: each evaluated at its last daily tick (24 hours apart from its own last
   * evaluation), or when an on-demand refresh completed, whichever is later.
   */
  #of(target: AccountRegion, clusterName: string): Insight[] {
    const key = this.#eks.clusterKey(target, clusterName);
    const insights = this.#insights.get(key) ?? [];
    const now = this.#clock.now().getTime();
    const onDemand = this.#refreshes.get(key);
    for (const insight of insights) {
      const last = insight.lastRefreshTime?.getTime() ?? now;
      let refreshed = last + Math.floor((now - last) / INSIGHT_REFRESH_MS) * INSIGHT_REFRESH_MS;
      if (onDemand && onDemand.endsAt.getTime() <= now && onDemand.endsAt.getTime() > refreshed) refreshed = onDemand.endsAt.getTime();
      if (refreshed > last) insight.lastRefreshTime = new Date(refreshed);
    }
    return insights;
  }
}
