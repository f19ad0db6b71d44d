import type { ClusterSnapshot, NodegroupSnapshot, SubnetSnapshot } from '../snapshot.ts';
import type { Finding } from './finding.ts';

/**
 * EKS user guide, "Update existing cluster to new Kubernetes version": "To update the cluster, Amazon EKS requires up
 * to five available IP addresses from the subnets that you specified when you created your cluster. Amazon EKS
 * creates new cluster elastic network interfaces (network interfaces) in any of the subnets that you specified. [...] If any of the
 * subnets that you specified when you created the cluster don't exist, don't have enough available IP addresses,
 * [...] then the update can fail." (https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html)
 */
export const CONTROL_PLANE_FREE_IPS = 5;
/**
 * The control plane's network interfaces span at least two Availability Zones (EKS requires cluster subnets in two):
 * eksup's EKS001 (clowdhaus/eksup, eksup/src/eks/checks.rs, control_plane_ips) requires two zones whose cluster
 * subnets hold five free addresses each, so {5, 0, 0} is not enough although it sums to five.
 */
export const CONTROL_PLANE_ZONES = 2;
/**
 * Addresses one new node takes. Certain: its primary private address. With the Amazon VPC CNI (secondary-IP mode,
 * the default WARM_ENI_TARGET=1) a node also holds a full network interface of secondary addresses for its pods from
 * the start; that depends on the instance type, which the snapshot does not have: we assume 10 (an m5.large's
 * primary interface), fewer than larger types or prefix delegation (16 per /28 prefix) take. An estimate: WARN only.
 */
export const ADDRESSES_PER_NODE = 1;
export const ADDRESSES_PER_NODE_WITH_VPC_CNI = 10;

const UNKNOWN_ZONE = '(zone unknown)';

export function checkFreeIps(cluster: ClusterSnapshot): Finding[] {
  return [...clusterSubnetFindings(cluster), ...cluster.nodegroups.flatMap((nodegroup) => nodegroupSubnetFindings(cluster, nodegroup))];
}

function byZone(subnets: readonly SubnetSnapshot[]): Map<string, SubnetSnapshot[]> {
  const zones = new Map<string, SubnetSnapshot[]>();
  for (const subnet of subnets) {
    // A subnet whose zone EC2 did not say stands alone: it cannot be shown to share a zone with another.
    const zone = subnet.availabilityZone || `${UNKNOWN_ZONE} ${subnet.id}`;
    zones.set(zone, [...(zones.get(zone) ?? []), subnet]);
  }
  return new Map([...zones].sort(([a], [b]) => a.localeCompare(b)));
}

const free = (subnets: readonly SubnetSnapshot[]): number => subnets.reduce((sum, subnet) => sum + subnet.availableIps, 0);
const listed = (subnets: readonly SubnetSnapshot[]): string => subnets.map((subnet) => `${subnet.id} ${subnet.availableIps}`).join(', ');
const zoneEvidence = (zones: Map<string, SubnetSnapshot[]>): string => [...zones].map(([zone, subnets]) => `${zone}: ${listed(subnets)} (${free(subnets)} free)`).join('; ');

function clusterSubnetFindings(cluster: ClusterSnapshot): Finding[] {
  const subnets = cluster.subnets.filter((subnet) => cluster.subnetIds.includes(subnet.id));
  if (subnets.length === 0) return [];
  const zones = byZone(subnets);
  const roomy = [...zones].filter(([zone, zoneSubnets]) => !zone.startsWith(UNKNOWN_ZONE) && free(zoneSubnets) >= CONTROL_PLANE_FREE_IPS).map(([zone]) => zone);
  const findings: Finding[] = [];
  if (roomy.length < CONTROL_PLANE_ZONES) {
    findings.push({
      check: 'cluster-subnet-ips',
      severity: 'BLOCK',
      resource: 'cluster',
      message: `${roomy.length === 0 ? 'no Availability Zone has' : `only ${roomy.join(', ')} has`} ${CONTROL_PLANE_FREE_IPS} free IP addresses in the cluster subnets; the control plane update creates new network interfaces and needs ${CONTROL_PLANE_ZONES} such zones`,
      evidence: zoneEvidence(zones),
      remedy: `free addresses in the cluster subnets of ${CONTROL_PLANE_ZONES} zones, or add subnets with free addresses (UpdateClusterConfig resourcesVpcConfig.subnetIds)`,
    });
  }
  // EKS may put a new interface in any cluster subnet: one without room can fail the update even when two zones have room.
  for (const subnet of subnets) {
    if (subnet.availableIps >= CONTROL_PLANE_FREE_IPS || roomy.length < CONTROL_PLANE_ZONES) continue;
    findings.push({
      check: 'cluster-subnet-ips',
      severity: 'WARN',
      resource: `subnet/${subnet.id}`,
      message: `${subnet.availableIps} free IP addresses in cluster subnet ${subnet.id} (${subnet.availabilityZone || UNKNOWN_ZONE}); EKS may create the control plane's new network interfaces in any cluster subnet, and one without ${CONTROL_PLANE_FREE_IPS} free can fail the update`,
      evidence: `AvailableIpAddressCount=${subnet.availableIps}; ${zoneEvidence(zones)}`,
      remedy: 'free addresses in this subnet, or remove it from the cluster subnets (UpdateClusterConfig)',
    });
  }
  return findings;
}

/**
 * EKS user guide, "Understand each phase of node updates" (managed-node-update-behavior.html), scale up phase: new
 * nodes are launched in the same zone as those they replace ("up to two instances per Availability Zone"); the
 * Auto Scaling group grows by the larger of "up to twice the number of Availability Zones" and the maximum
 * unavailable; the phase succeeds only when "at least one new node is launched in every Availability Zone where the
 * node exists". Each zone of the group must therefore hold its surge, plus what the group may still grow to (maxSize).
 */
function nodegroupSubnetFindings(cluster: ClusterSnapshot, nodegroup: NodegroupSnapshot): Finding[] {
  const subnets = cluster.subnets.filter((subnet) => nodegroup.subnets.includes(subnet.id));
  if (subnets.length === 0 || nodegroup.desiredSize === 0) return [];
  const zones = byZone(subnets);
  const zoneCount = zones.size;
  const maxUnavailable = maxUnavailableOf(nodegroup);
  const surgePerZone = Math.ceil(Math.max(2 * zoneCount, maxUnavailable) / zoneCount);
  const growthPerZone = Math.ceil(Math.max(0, nodegroup.maxSize - nodegroup.desiredSize) / zoneCount);
  const vpcCni = cluster.addons.some((addon) => addon.name === 'vpc-cni');
  const perNode = vpcCni ? ADDRESSES_PER_NODE_WITH_VPC_CNI : ADDRESSES_PER_NODE;
  const need = (surgePerZone + growthPerZone) * perNode;
  // With at least as many nodes as zones, the group's Auto Scaling group balances them into every zone: each zone needs a new node.
  const everyZoneHasNodes = nodegroup.desiredSize >= zoneCount;
  const findings: Finding[] = [];
  for (const [zone, zoneSubnets] of zones) {
    const available = free(zoneSubnets);
    if (available >= need) continue;
    const certain = available < ADDRESSES_PER_NODE && everyZoneHasNodes;
    findings.push({
      check: 'node-subnet-ips',
      severity: certain ? 'BLOCK' : 'WARN',
      resource: `nodegroup/${nodegroup.name}`,
      message: certain
        ? `${zone}: no free IP address in the node group's subnets; its update must launch a new node in every zone where it has nodes, and cannot here`
        : `${zone}: ${available} free IP addresses in the node group's subnets, fewer than the ~${need} its update may take there (${surgePerZone} surge + ${growthPerZone} growth to maxSize ${nodegroup.maxSize} nodes, ${perNode} address${perNode === 1 ? '' : 'es'} each)`,
      evidence: `${listed(zoneSubnets)}; zones: ${zoneCount}, desiredSize ${nodegroup.desiredSize}, maxSize ${nodegroup.maxSize}, maxUnavailable ${maxUnavailable}; addresses per node: ${perNode} (${vpcCni ? 'assumed with the VPC CNI: primary address plus one interface of secondary addresses' : 'the primary address'})`,
      remedy: 'free addresses in the zone, add a subnet in it to the node group (a new node group), or lower updateConfig.maxUnavailable and the maxSize',
    });
  }
  return findings;
}

/** updateConfig: a number of nodes, or a percentage of the desired size (at least one); EKS's default is one node. */
function maxUnavailableOf(nodegroup: NodegroupSnapshot): number {
  if (nodegroup.maxUnavailable !== undefined) return nodegroup.maxUnavailable;
  if (nodegroup.maxUnavailablePercentage !== undefined) return Math.max(1, Math.ceil((nodegroup.desiredSize * nodegroup.maxUnavailablePercentage) / 100));
  return 1;
}
