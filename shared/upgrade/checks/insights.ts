import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding, HopContext } from './finding.ts';

/** EKS Upgrade Insights for the target version: ERROR blocks (EKS itself refuses the update without force), WARNING warns. */
export function checkInsights(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  return cluster.insights
    .filter((insight) => insight.kubernetesVersion === hop.to && (insight.status === 'ERROR' || insight.status === 'WARNING'))
    .map((insight) => ({
      check: 'upgrade-insight',
      severity: insight.status === 'ERROR' ? ('BLOCK' as const) : ('WARN' as const),
      resource: 'cluster',
      message: `${insight.name}: ${insight.status}`,
      evidence: insight.reason ?? 'ListInsights',
      remedy: insight.recommendation ?? 'see the insight in the EKS console',
    }));
}
