import { describe, expect, it } from '@jest/globals';
import { checkFreeIps } from '../../../shared/upgrade/checks/free-ips.ts';
import type { ClusterSnapshot, NodegroupSnapshot, SubnetSnapshot } from '../../../shared/upgrade/snapshot.ts';
import { fixtureNodegroup, healthyCluster } from './snapshot-fixture.ts';

const subnet = (id: string, availableIps: number, zone: string): SubnetSnapshot => ({ id, availableIps, availabilityZone: `eu-west-1${zone}` });
const summary = (cluster: ClusterSnapshot) => checkFreeIps(cluster).map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`);

/** Cluster subnets only (no node group): the control plane's rule alone. */
const controlPlane = (...subnets: SubnetSnapshot[]) => healthyCluster({ subnetIds: subnets.map((one) => one.id), subnets, nodegroups: [] });

describe('free addresses per subnet and zone', () => {
  describe('the cluster subnets (control plane update)', () => {
    it('block {5, 0, 0}: five addresses in total are not two zones with room (the old check summed and passed)', () => {
      expect(summary(controlPlane(subnet('subnet-a', 5, 'a'), subnet('subnet-b', 0, 'b'), subnet('subnet-c', 0, 'c')))).toEqual(['BLOCK cluster-subnet-ips cluster']);
      // Ten addresses, all in one zone: still one zone.
      const oneZone = checkFreeIps(controlPlane(subnet('subnet-a1', 5, 'a'), subnet('subnet-a2', 5, 'a'), subnet('subnet-b', 0, 'b')));
      expect(oneZone.map((finding) => finding.severity)).toEqual(['BLOCK']);
      expect(oneZone[0]?.message).toBe('only eu-west-1a has 5 free IP addresses in the cluster subnets; the control plane update creates new network interfaces and needs 2 such zones');
      expect(oneZone[0]?.evidence).toBe('eu-west-1a: subnet-a1 5, subnet-a2 5 (10 free); eu-west-1b: subnet-b 0 (0 free)');
    });

    it('pass two zones with five each (summed per zone, as eksup EKS001), and warn on a cluster subnet short of five', () => {
      expect(summary(controlPlane(subnet('subnet-a1', 3, 'a'), subnet('subnet-a2', 3, 'a'), subnet('subnet-b', 5, 'b')))).toEqual(['WARN cluster-subnet-ips subnet/subnet-a1', 'WARN cluster-subnet-ips subnet/subnet-a2']);
      expect(summary(controlPlane(subnet('subnet-a', 5, 'a'), subnet('subnet-b', 5, 'b'), subnet('subnet-c', 2, 'c')))).toEqual(['WARN cluster-subnet-ips subnet/subnet-c']);
      expect(summary(controlPlane(subnet('subnet-a', 5, 'a'), subnet('subnet-b', 5, 'b')))).toEqual([]);
    });

    it('count a subnet whose zone EC2 did not say toward no zone', () => {
      expect(summary(controlPlane(subnet('subnet-a', 50, 'a'), { id: 'subnet-x', availableIps: 50, availabilityZone: '' }))).toEqual(['BLOCK cluster-subnet-ips cluster']);
    });
  });

  describe('the node subnets (managed node group update surge)', () => {
    const cp = [subnet('subnet-cp-a', 240, 'a'), subnet('subnet-cp-b', 240, 'b')];
    const nodes = (a: number, b: number, group: Partial<NodegroupSnapshot> = {}, addons: ClusterSnapshot['addons'] = []) =>
      healthyCluster({
        subnetIds: cp.map((one) => one.id),
        subnets: [...cp, subnet('subnet-node-a', a, 'a'), subnet('subnet-node-b', b, 'b')],
        nodegroups: [{ ...fixtureNodegroup('web'), subnets: ['subnet-node-a', 'subnet-node-b'], ...group }],
        addons,
      });

    it('block a zone with no free address where the group has nodes: the update must launch a new node in each (the old check only warned)', () => {
      const findings = checkFreeIps(nodes(200, 0));
      expect(findings.map((finding) => `${finding.severity} ${finding.resource}`)).toEqual(['BLOCK nodegroup/web']);
      expect(findings[0]?.message).toBe("eu-west-1b: no free IP address in the node group's subnets; its update must launch a new node in every zone where it has nodes, and cannot here");
      expect(findings[0]?.evidence).toContain('subnet-node-b 0');
      // One node in two zones: the empty zone may hold none of them: a warning.
      expect(summary(nodes(200, 0, { desiredSize: 1 }))).toEqual(['WARN node-subnet-ips nodegroup/web']);
    });

    it('size each zone for the surge, max(2 × zones, maxUnavailable), plus growth to maxSize, one address per node without the VPC CNI', () => {
      // 2 zones, maxUnavailable 6: surge 6 → 3 a zone; maxSize 6 − desired 2 = 4 → 2 a zone: 5 nodes a zone.
      const group = { desiredSize: 2, maxSize: 6, maxUnavailable: 6 };
      expect(summary(nodes(5, 5, group))).toEqual([]);
      const short = checkFreeIps(nodes(5, 4, group));
      expect(short.map((finding) => `${finding.severity} ${finding.message}`)).toEqual(["WARN eu-west-1b: 4 free IP addresses in the node group's subnets, fewer than the ~5 its update may take there (3 surge + 2 growth to maxSize 6 nodes, 1 address each)"]);
      // A percentage of the desired size: 50% of 10 = 5 unavailable → surge max(4, 5) = 5 → 3 a zone; no growth.
      expect(summary(nodes(3, 3, { desiredSize: 10, maxSize: 10, maxUnavailable: undefined, maxUnavailablePercentage: 50 }))).toEqual([]);
      expect(summary(nodes(3, 2, { desiredSize: 10, maxSize: 10, maxUnavailable: undefined, maxUnavailablePercentage: 50 }))).toEqual(['WARN node-subnet-ips nodegroup/web']);
    });

    it('assume more addresses per node with the VPC CNI (its warm interface), as a warning', () => {
      const vpcCni = [{ name: 'vpc-cni', version: 'v1.19.2-eksbuild.1', status: 'ACTIVE', issues: [] }];
      // Fixture group: desired 2, max 3, maxUnavailable 1, 2 zones: 2 surge + 1 growth = 3 nodes a zone × 10.
      expect(summary(nodes(30, 30, {}, vpcCni))).toEqual([]);
      expect(checkFreeIps(nodes(30, 29, {}, vpcCni)).map((finding) => `${finding.severity} ${finding.message}`)).toEqual([
        "WARN eu-west-1b: 29 free IP addresses in the node group's subnets, fewer than the ~30 its update may take there (2 surge + 1 growth to maxSize 3 nodes, 10 addresses each)",
      ]);
      expect(summary(nodes(30, 29, {}, []))).toEqual([]);
    });
  });
});
