import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding } from './finding.ts';

/** Health issues EKS reports: on the cluster they block (its updates fail), on node groups and add-ons they warn. */
export function checkHealth(cluster: ClusterSnapshot): Finding[] {
  return [
    ...cluster.issues.map((issue) => ({ check: 'health', severity: 'BLOCK' as const, resource: 'cluster', message: issue.message, evidence: issue.code, remedy: 'fix the cluster health issue (EKS console, Health tab)' })),
    ...cluster.nodegroups.flatMap((nodegroup) =>
      nodegroup.issues.map((issue) => ({ check: 'health', severity: 'WARN' as const, resource: `nodegroup/${nodegroup.name}`, message: issue.message, evidence: issue.code, remedy: 'a degraded node group often fails its update; fix it before the window' })),
    ),
    ...cluster.addons.flatMap((addon) =>
      addon.issues.map((issue) => ({ check: 'health', severity: 'WARN' as const, resource: `addon/${addon.name}`, message: issue.message, evidence: issue.code, remedy: 'fix the add-on (its configuration or IAM role) before the window' })),
    ),
  ];
}
