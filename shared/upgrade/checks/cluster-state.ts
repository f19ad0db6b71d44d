import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding } from './finding.ts';

/** EKS refuses UpdateClusterVersion unless the cluster is ACTIVE, and while another update runs (ResourceInUseException). */
export function checkClusterState(cluster: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  if (cluster.status !== 'ACTIVE') {
    findings.push({ check: 'cluster-active', severity: 'BLOCK', resource: 'cluster', message: `cluster is ${cluster.status}, not ACTIVE`, evidence: `status=${cluster.status}`, remedy: 'wait until the cluster is ACTIVE; the next window retries' });
  }
  // The cluster's own updates: not a node group's, an add-on's, or a self-managed group's instance refresh.
  const running = cluster.runningUpdates.filter((update) => !update.nodegroup && !update.addon && !update.autoScalingGroup);
  for (const update of running) {
    findings.push({ check: 'no-update-running', severity: 'BLOCK', resource: 'cluster', message: `update ${update.id} (${update.type}) is in progress`, evidence: `DescribeUpdate ${update.id}: InProgress`, remedy: 'wait for it to finish: EKS updates cannot be cancelled' });
  }
  return findings;
}
