import type { ClusterSnapshot } from '../snapshot.ts';
import { nextMinor } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';

/** EKS moves the control plane one minor version per call, to a version it offers (DescribeClusterVersions, not a table of ours). */
export function checkTargetVersion(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  if (hop.to !== nextMinor(hop.from)) {
    return [{ check: 'target-next-minor', severity: 'BLOCK', resource: 'cluster', message: `${hop.from} → ${hop.to} skips a minor version`, evidence: `current ${hop.from}, target ${hop.to}`, remedy: `upgrade one minor version at a time: ${nextMinor(hop.from)} first` }];
  }
  if (!cluster.offeredVersions.some((offered) => offered.version === hop.to)) {
    return [{ check: 'target-offered', severity: 'BLOCK', resource: 'cluster', message: `EKS does not offer Kubernetes ${hop.to} in this region`, evidence: `DescribeClusterVersions: ${cluster.offeredVersions.map((offered) => offered.version).join(', ')}`, remedy: 'wait for EKS to release it, or set upgrade.targetVersion lower' }];
  }
  return [];
}
