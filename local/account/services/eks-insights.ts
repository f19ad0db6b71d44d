import {
  type DescribeInsightCommandInput,
  type DescribeInsightCommandOutput,
  type Insight,
  type InsightStatusValue,
  InvalidRequestException,
  type ListInsightsCommandInput,
  type ListInsightsCommandOutput,
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
}

/**
 * EKS Upgrade Insights in the in-memory account (ListInsights / DescribeInsight). Since EKS checks upgrade
 * readiness itself, UpdateClusterVersion is refused while an ERROR insight about the target version stands,
 * unless `force` is set (API reference: "force: override upgrade-blocking readiness checks").
 */
export class SandboxEksInsights implements SandboxService {
  readonly clientName = 'EKSClient';
  readonly label = 'eks';
  readonly #insights = new Map<string, Insight[]>();
  readonly #eks: SandboxEks;
  readonly #clock: Clock;

  constructor(eks: SandboxEks, clock: Clock) {
    this.#eks = eks;
    this.#clock = clock;
    eks.addVersionGate((target, clusterName, version, force) => {
      const blocking = this.#of(target, clusterName).filter((insight) => insight.kubernetesVersion === version && insight.insightStatus?.status === 'ERROR');
      if (blocking.length > 0 && !force) {
        throw new InvalidRequestException({ message: `Upgrade readiness checks failed: ${blocking.map((insight) => insight.name).join(', ')}`, clusterName, $metadata: {} });
      }
    });
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
    DescribeInsightCommand: (input: DescribeInsightCommandInput, ctx: CallContext): ServiceOutput<DescribeInsightCommandOutput> => {
      const insight = this.#of(ctx, input.clusterName ?? '').find((candidate) => candidate.id === input.id);
      if (!insight) throw new ResourceNotFoundException({ message: `No insight found for id: ${input.id}`, $metadata: {} });
      return { insight: structuredClone(insight) };
    },
  };

  seedInsight(target: AccountRegion, clusterName: string, seed: InsightSeed): Insight {
    this.#eks.clusterOf(target, clusterName);
    const now = this.#clock.now();
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

  #of(target: AccountRegion, clusterName: string): Insight[] {
    return this.#insights.get(this.#eks.clusterKey(target, clusterName)) ?? [];
  }
}
