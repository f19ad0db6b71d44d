import type { ClusterSnapshot } from '../snapshot.ts';
import { maxKubeletSkew, minorOf } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';

/**
 * UpdateClusterVersion requires every managed node group at the cluster's version (EKS API reference), and
 * after the hop kubelets must stay within the skew policy (n-3 from 1.28, n-2 before).
 */
export function checkNodegroupVersions(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const findings: Finding[] = [];
  const allowed = maxKubeletSkew(hop.to);
  for (const nodegroup of cluster.nodegroups) {
    if (nodegroup.version !== cluster.version) {
      findings.push({
        check: 'nodegroup-at-control-plane',
        severity: 'BLOCK',
        resource: `nodegroup/${nodegroup.name}`,
        message: `managed node group is at ${nodegroup.version}, the control plane at ${cluster.version}`,
        evidence: `DescribeNodegroup version=${nodegroup.version}`,
        remedy: 'eksops upgrades it in the node-group stage before the next hop; or run UpdateNodegroupVersion yourself',
      });
    }
    const skew = minorOf(hop.to) - minorOf(nodegroup.version);
    if (skew > allowed) {
      findings.push({ check: 'kubelet-skew', severity: 'BLOCK', resource: `nodegroup/${nodegroup.name}`, message: `kubelet ${nodegroup.version} would be ${skew} minors behind ${hop.to} (at most ${allowed})`, evidence: `version=${nodegroup.version}`, remedy: 'upgrade the node group first' });
    }
    if (nodegroup.status !== 'ACTIVE') {
      findings.push({ check: 'nodegroup-active', severity: 'WARN', resource: `nodegroup/${nodegroup.name}`, message: `node group is ${nodegroup.status}`, evidence: `status=${nodegroup.status}`, remedy: 'EKS updates only ACTIVE node groups; resolve its state before the node-group stage' });
    }
  }
  return findings;
}
