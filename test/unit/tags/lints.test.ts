import { describe, expect, it } from '@jest/globals';
import { lintCluster } from '../../../shared/tags/lints.ts';
import { cluster, instance, managedAsg, nodegroup, POLICY, volume } from './plan-fixtures.ts';

describe('lints, with evidence', () => {
  const csiVolume = volume('vol-csi', 'i-1', { 'ebs.csi.aws.com/cluster': 'true' });

  it('flags a multi-AZ group with EBS CSI volumes, and AZRebalance left running', () => {
    const lints = lintCluster(cluster({ asgs: [managedAsg({ availabilityZones: ['eu-west-1a', 'eu-west-1b'], instanceIds: ['i-1'] })], instances: [instance('i-1')], attachments: [csiVolume] }), POLICY);
    expect(lints).toEqual([
      { rule: 'ebs-multi-az', subject: 'general', evidence: ['spans eu-west-1a, eu-west-1b', 'EBS CSI volumes attached: vol-csi'] },
      { rule: 'az-rebalance', subject: 'general', evidence: ['ASG eks-general does not suspend AZRebalance', 'rebalancing can terminate the node that holds a volume'] },
    ]);
  });

  it('is quiet for a single-AZ group, or with AZRebalance suspended only the AZ lint remains', () => {
    expect(lintCluster(cluster({ asgs: [managedAsg({ instanceIds: ['i-1'] })], attachments: [csiVolume] }), POLICY)).toEqual([]);
    const suspended = lintCluster(cluster({ asgs: [managedAsg({ availabilityZones: ['a', 'b'], suspendedProcesses: ['AZRebalance'], instanceIds: ['i-1'] })], attachments: [csiVolume] }), POLICY);
    expect(suspended.map((lint) => lint.rule)).toEqual(['ebs-multi-az']);
  });

  it('flags per-AZ copies of a group whose labels differ, not unrelated groups in one AZ', () => {
    const perAz = cluster({
      nodegroups: [nodegroup({ name: 'web-a', labels: { tier: 'web', 'topology.kubernetes.io/zone': 'a' } }), nodegroup({ name: 'web-b', labels: { tier: 'frontend', 'topology.kubernetes.io/zone': 'b' } })],
      asgs: [managedAsg({ name: 'eks-web-a', nodegroup: 'web-a', availabilityZones: ['a'] }), managedAsg({ name: 'eks-web-b', nodegroup: 'web-b', availabilityZones: ['b'] })],
    });
    expect(lintCluster(perAz, POLICY).map((lint) => [lint.rule, lint.subject])).toEqual([['unbalanced-labels', 'web-a, web-b']]);
    const sameAz = cluster({ nodegroups: [nodegroup({ name: 'x', labels: { tier: 'a' } }), nodegroup({ name: 'y', labels: { tier: 'b' } })], asgs: [managedAsg({ name: 'ax', nodegroup: 'x' }), managedAsg({ name: 'ay', nodegroup: 'y' })] });
    expect(lintCluster(sameAz, POLICY)).toEqual([]);
  });

  it('flags groups near the 50-tag limit', () => {
    const tags = Object.fromEntries(Array.from({ length: 46 }, (_, index) => [`k${index}`, { value: 'v', propagate: false }]));
    expect(lintCluster(cluster({ asgs: [managedAsg({ tags })] }), POLICY)).toEqual([{ rule: 'near-tag-limit', subject: 'eks-general', evidence: ['46 of 50 user tags'] }]);
  });
});

describe('the EBS availability-zone lint with the CSI add-on', () => {
  it('flags a multi-AZ group when the aws-ebs-csi-driver add-on is installed, even before a volume exists', () => {
    const lints = lintCluster(cluster({ ebsCsiDriver: true, asgs: [managedAsg({ availabilityZones: ['a', 'b'], suspendedProcesses: ['AZRebalance'] })] }), POLICY);
    expect(lints).toEqual([{ rule: 'ebs-multi-az', subject: 'general', evidence: ['spans a, b', 'the aws-ebs-csi-driver add-on is installed'] }]);
  });
});
