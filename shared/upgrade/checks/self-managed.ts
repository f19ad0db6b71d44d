import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding, HopContext } from './finding.ts';

/**
 * Self-managed node groups are not upgraded by EKS: their kubelets stay where they are (within the skew
 * policy for a while). eksops reports them; their owners move them to the EKS-optimized AMI of the new version
 * (public SSM parameter /aws/service/eks/optimized-ami/<version>/…).
 */
export function checkSelfManaged(cluster: ClusterSnapshot, hop: HopContext, refreshRequested = false): Finding[] {
  return cluster.selfManagedGroups.map((group) => ({
    check: 'self-managed',
    // refreshSelfManaged asks for an Instance Refresh eksops cannot do yet: say so louder than a plain report.
    severity: refreshRequested ? ('WARN' as const) : ('INFO' as const),
    resource: `autoscaling/${group}`,
    message: refreshRequested ? 'self-managed node group: refreshSelfManaged is set, but eksops cannot refresh it yet' : 'self-managed node group: eksops does not upgrade it',
    evidence: `tag kubernetes.io/cluster/${cluster.name}, no eks:nodegroup-name`,
    remedy: `after the hop, roll it onto the EKS-optimized AMI for ${hop.to} (SSM /aws/service/eks/optimized-ami/${hop.to}/…) before the next hop`,
  }));
}
