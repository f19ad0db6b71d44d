import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding, HopContext } from './finding.ts';

/** EKS pricing: $0.10 per cluster-hour in standard support, $0.60 in extended support (6×). */
export const EXTENDED_SUPPORT_COST_FACTOR = 6;
const SOON_MS = 90 * 24 * 3600_000;

export function checkSupportDates(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const findings: Finding[] = [];
  const current = cluster.offeredVersions.find((offered) => offered.version === cluster.version);
  if (current?.status === 'EXTENDED_SUPPORT') {
    findings.push({ check: 'support', severity: 'WARN', resource: 'cluster', message: `${cluster.version} is in extended support: the cluster costs ${EXTENDED_SUPPORT_COST_FACTOR}× per hour`, evidence: `end of standard support ${current.endOfStandardSupport ?? '?'}`, remedy: 'upgrade to a version in standard support' });
  }
  const target = cluster.offeredVersions.find((offered) => offered.version === hop.to);
  const endOfStandard = target?.endOfStandardSupport ? Date.parse(target.endOfStandardSupport) : Number.NaN;
  if (target?.endOfStandardSupport && endOfStandard <= hop.now.getTime()) {
    // Already past: the hop lands in extended support, and says so as a fact, not as a coming event.
    findings.push({ check: 'support', severity: 'WARN', resource: 'cluster', message: `${hop.to} left standard support on ${target.endOfStandardSupport.slice(0, 10)}: after this hop the cluster is in extended support (${EXTENDED_SUPPORT_COST_FACTOR}× per hour)`, evidence: 'DescribeClusterVersions', remedy: 'continue to a version in standard support' });
  } else if (target?.endOfStandardSupport && endOfStandard - hop.now.getTime() < SOON_MS) {
    findings.push({ check: 'support', severity: 'INFO', resource: 'cluster', message: `${hop.to} leaves standard support on ${target.endOfStandardSupport.slice(0, 10)}`, evidence: 'DescribeClusterVersions', remedy: 'plan the next hop soon after' });
  }
  return findings;
}
