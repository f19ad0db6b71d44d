import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding } from './finding.ts';

/** EKS: "Amazon EKS requires up to five available IP addresses from the subnets that you specified when you created your cluster." */
export const CONTROL_PLANE_FREE_IPS = 5;
/** Node-group updates surge new nodes before draining old ones; below this a surge may fail with InsufficientFreeAddresses. */
export const NODE_SUBNET_LOW_IPS = 16;

export function checkFreeIps(cluster: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  const clusterSubnets = cluster.subnets.filter((subnet) => cluster.subnetIds.includes(subnet.id));
  const free = clusterSubnets.reduce((sum, subnet) => sum + subnet.availableIps, 0);
  if (clusterSubnets.length > 0 && free < CONTROL_PLANE_FREE_IPS) {
    findings.push({ check: 'cluster-subnet-ips', severity: 'BLOCK', resource: 'cluster', message: `${free} free IP addresses in the cluster subnets; EKS needs ${CONTROL_PLANE_FREE_IPS}`, evidence: clusterSubnets.map((subnet) => `${subnet.id}: ${subnet.availableIps}`).join(', '), remedy: 'free addresses in the cluster subnets, or add subnets with UpdateClusterConfig' });
  }
  const nodeSubnets = new Set(cluster.nodegroups.flatMap((nodegroup) => nodegroup.subnets));
  for (const subnet of cluster.subnets) {
    if (nodeSubnets.has(subnet.id) && subnet.availableIps < NODE_SUBNET_LOW_IPS) {
      findings.push({ check: 'node-subnet-ips', severity: 'WARN', resource: `subnet/${subnet.id}`, message: `${subnet.availableIps} free IP addresses in a node subnet`, evidence: `AvailableIpAddressCount=${subnet.availableIps}`, remedy: 'node updates surge new nodes first: free addresses or lower updateConfig.maxUnavailable' });
    }
  }
  return findings;
}
