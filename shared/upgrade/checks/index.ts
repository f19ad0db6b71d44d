import type { ClusterSnapshot } from '../snapshot.ts';
import { checkAddonCompatibility } from './addon-compatibility.ts';
import { checkClusterState } from './cluster-state.ts';
import { checkControllers } from './controllers.ts';
import { checkKubernetesComponents } from './kubernetes-components.ts';
import { checkNodeSkew } from './node-skew.ts';
import type { Finding, HopContext } from './finding.ts';
import { checkFreeIps } from './free-ips.ts';
import { checkHealth } from './health.ts';
import { checkInsights } from './insights.ts';
import { checkNodeImages } from './node-images.ts';
import { checkNodegroupVersions } from './nodegroup-versions.ts';
import { checkPodDisruptionBudgets } from './pod-disruption-budgets.ts';
import { checkSelfManaged } from './self-managed.ts';
import { checkSupportDates } from './support-dates.ts';
import { checkTargetVersion } from './target-version.ts';

export type { Finding, HopContext, Severity } from './finding.ts';

const SEVERITY_ORDER = { BLOCK: 0, WARN: 1, INFO: 2 } as const;

/** Every pre-flight check of one hop, BLOCK first. Pure: the same snapshot gives the same findings. */
export function preflight(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const findings = [
    ...checkClusterState(cluster),
    ...checkTargetVersion(cluster, hop),
    ...checkNodegroupVersions(cluster, hop),
    ...checkAddonCompatibility(cluster, hop),
    ...checkInsights(cluster, hop),
    ...checkHealth(cluster),
    ...checkFreeIps(cluster),
    ...checkNodeImages(cluster, hop),
    ...checkSupportDates(cluster, hop),
    ...checkSelfManaged(cluster, hop, hop.refreshSelfManaged ?? false),
    ...podDisruptionBudgetFindings(cluster, hop),
    ...checkNodeSkew(cluster, cluster.kubernetes, cluster.unmanagedCapacity, hop),
    ...checkKubernetesComponents(cluster, cluster.kubernetes, hop),
    ...checkControllers(cluster, cluster.kubernetes, hop),
  ];
  return findings.map((finding, index) => ({ finding, index })).sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index).map(({ finding }) => finding);
}

/**
 * A PDB stops drains, and a stage drains managed node groups, and self-managed groups that eksops refreshes (their
 * lifecycle hook drains each node): a cluster with neither (Fargate, Karpenter, self-managed nodes it leaves alone)
 * gets the same findings as warnings.
 */
function podDisruptionBudgetFindings(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const findings = checkPodDisruptionBudgets(cluster.podDisruptionBudgets, hop);
  if (cluster.nodegroups.length > 0 || (hop.refreshSelfManaged && cluster.selfManagedGroups.length > 0)) return findings;
  return findings.map((finding) => (finding.severity === 'BLOCK' ? { ...finding, severity: 'WARN' as const, message: `${finding.message} (no managed node group to drain in this cluster: a warning)` } : finding));
}

export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity === 'BLOCK');
}
