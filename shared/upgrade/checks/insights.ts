import { gatingInsights } from '../hop-history.ts';
import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding, HopContext, InsightOverride } from './finding.ts';

/**
 * EKS Upgrade Insights that gate the hop: every insight about a version at or below the hop's target that is not
 * PASSING blocks, WARNING and UNKNOWN included. EKS no longer refuses UpdateClusterVersion over failing insights
 * (the enforcement was rolled back), so this check is the only gate: an insight EKS marks WARNING because it is
 * about a version two minors ahead becomes the next hop's ERROR, and nobody should learn that after the update.
 * That the insights are fresh (evaluated after the previous hop) is decided before the pre-flight (plan.ts).
 * An override (upgrade.insightOverrides, by insight id) lets a known false positive pass until it expires.
 */
export function checkInsights(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const findings: Finding[] = [];
  for (const insight of gatingInsights(cluster.insights, hop.to)) {
    if (insight.status === 'PASSING') continue;
    const override = hop.insightOverrides?.find((candidate) => candidate.id === insight.id);
    const base = { check: 'upgrade-insight', resource: 'cluster', evidence: `${insight.id} (${insight.kubernetesVersion}): ${insight.reason ?? 'ListInsights'}` };
    if (override && !expired(override, hop.now)) {
      findings.push({ ...base, severity: 'INFO', message: `${insight.name}: ${insight.status}, overridden until ${override.expires}: ${override.reason}`, remedy: 'remove the override from upgrade.insightOverrides once the insight passes' });
      continue;
    }
    findings.push({
      ...base,
      severity: 'BLOCK',
      message: `${insight.name}: ${insight.status} for ${insight.kubernetesVersion}${override ? ` (its override expired on ${override.expires})` : ''}`,
      remedy: insight.recommendation ?? (insight.status === 'UNKNOWN' ? 'EKS could not evaluate it: see the insight in the EKS console' : 'see the insight in the EKS console'),
    });
  }
  return findings;
}

function expired(override: InsightOverride, now: Date): boolean {
  // A date alone lasts to the end of that day (UTC).
  const expires = /^\d{4}-\d{2}-\d{2}$/.test(override.expires) ? Date.parse(`${override.expires}T23:59:59.999Z`) : Date.parse(override.expires);
  return !(expires > now.getTime());
}
