import { describe, expect, it } from '@jest/globals';
import { checkNodeSkew, kubeletMinor } from '../../../shared/upgrade/checks/node-skew.ts';
import { capacityOf, type KubernetesObservation, type NodesSummary, summarizeNodes } from '../../../shared/upgrade/observe-kubernetes.ts';
import { preflight } from '../../../shared/upgrade/checks/index.ts';
import { fixtureNodegroup, healthyCluster } from './snapshot-fixture.ts';

const hop = { from: '1.32', to: '1.33', now: new Date('2026-03-02T09:00:00Z') };
const summary = (findings: ReturnType<typeof checkNodeSkew>) => findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`);

const node = (name: string, kubeletVersion: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, status: { nodeInfo: { kubeletVersion } } });
const FARGATE = { 'eks.amazonaws.com/compute-type': 'fargate' };
const observed = (nodes: NodesSummary | { error: string; remedy?: string }): KubernetesObservation => ({ nodes, components: [], controllers: { items: [] }, deprecatedApis: { series: [], truncated: false } });

describe('kubelet versions', () => {
  it.each([
    ['v1.31.4-eks-aeac579', '1.31'],
    ['v1.29.15-eks-473151a', '1.29'],
    // Bottlerocket and Windows nodes report the same form.
    ['v1.30.8-eks-3c20087', '1.30'],
    ['v1.33.0', '1.33'],
    ['1.32', '1.32'],
    [' v1.28.2-eks-a5df82a ', '1.28'],
    ['v1.9.11', '1.9'],
  ])('reads %s as %s', (version, minor) => {
    expect(kubeletMinor(version)).toBe(minor);
  });

  it.each(['', 'unknown', 'v2.1.0', 'v1.x', 'v1.31.4 extra', 'v1', 'kubelet-1.31'])('does not read %j', (version) => {
    expect(kubeletMinor(version)).toBeUndefined();
  });
});

describe('node capacity', () => {
  it('tells Fargate, Auto Mode, hybrid, Karpenter, managed and self-managed nodes apart by their labels', () => {
    expect(capacityOf(FARGATE)).toBe('fargate');
    // Auto Mode nodes carry karpenter.sh/nodepool too: compute-type decides.
    expect(capacityOf({ 'eks.amazonaws.com/compute-type': 'auto', 'karpenter.sh/nodepool': 'general-purpose' })).toBe('auto');
    expect(capacityOf({ 'eks.amazonaws.com/compute-type': 'hybrid' })).toBe('hybrid');
    expect(capacityOf({ 'karpenter.sh/nodepool': 'default' })).toBe('karpenter');
    expect(capacityOf({ 'eks.amazonaws.com/nodegroup': 'system' })).toBe('managed-nodegroup');
    expect(capacityOf({ 'kubernetes.io/os': 'linux' })).toBe('self-managed');
    expect(capacityOf({ 'eks.amazonaws.com/compute-type': 'ec2' })).toBe('self-managed');
  });

  it('groups nodes by capacity and kubelet minor, naming at most 10 of each', () => {
    const nodes = [
      ...Array.from({ length: 12 }, (_, index) => node(`fargate-ip-10-0-1-${index}.eu-west-1.compute.internal`, index % 2 ? 'v1.29.15-eks-473151a' : 'v1.29.3-eks-ae9a62a', FARGATE)),
      node('ip-10-0-2-1', 'v1.32.1-eks-5d632ec', { 'karpenter.sh/nodepool': 'default' }),
      node('ip-10-0-2-2', 'v1.32.1-eks-5d632ec', { 'karpenter.sh/nodepool': 'gpu' }),
      node('weird', 'garbage', {}),
    ];
    const result = summarizeNodes(nodes);
    expect(result.total).toBe(15);
    expect(result.groups).toEqual([
      { capacity: 'fargate', minor: '1.29', count: 12, kubeletVersions: ['v1.29.3-eks-ae9a62a', 'v1.29.15-eks-473151a'], nodes: nodes.slice(0, 10).map((entry) => entry.metadata.name), pools: [] },
      { capacity: 'karpenter', minor: '1.32', count: 2, kubeletVersions: ['v1.32.1-eks-5d632ec'], nodes: ['ip-10-0-2-1', 'ip-10-0-2-2'], pools: ['default', 'gpu'] },
      { capacity: 'self-managed', count: 1, kubeletVersions: ['garbage'], nodes: ['weird'], pools: [] },
    ]);
  });
});

describe('node skew pre-flight check (kubernetesChecks on)', () => {
  it('reports a lagging managed node group once: DescribeNodegroup\'s version already blocks it; a node of an unknown group still blocks here', () => {
    const lagging = healthyCluster({ nodegroups: [{ ...fixtureNodegroup('system'), version: '1.29' }] });
    const nodes = summarizeNodes([node('old-system', 'v1.29.8-eks-a737599', { 'eks.amazonaws.com/nodegroup': 'system' })]);
    const all = preflight({ ...lagging, kubernetes: observed(nodes) }, hop).filter((finding) => finding.severity === 'BLOCK' && /skew/.test(finding.check));
    expect(summary(all)).toEqual(['BLOCK kubelet-skew nodegroup/system']);
    // Its nodes say 1.29 but DescribeNodegroup does not know the group (or says otherwise): only the nodes tell.
    expect(summary(checkNodeSkew(healthyCluster(), observed(nodes), undefined, hop))).toEqual(['BLOCK node-kubelet-skew nodes/managed-nodegroup/1.29']);
  });

  it('blocks old Fargate kubelets with the restart remedy, and newer kubelets, naming the nodes (bounded)', () => {
    const nodes = summarizeNodes([
      ...Array.from({ length: 12 }, (_, index) => node(`fargate-${index}`, 'v1.29.15-eks-473151a', FARGATE)),
      node('ahead', 'v1.34.0-eks-1a2b3c4', { 'eks.amazonaws.com/nodegroup': 'canary' }),
      node('ok-karpenter', 'v1.30.4-eks-a737599', { 'karpenter.sh/nodepool': 'default' }),
    ]);
    const findings = checkNodeSkew(healthyCluster(), observed(nodes), undefined, hop);
    expect(summary(findings)).toEqual(['BLOCK node-kubelet-skew nodes/fargate/1.29', 'BLOCK node-kubelet-skew nodes/managed-nodegroup/1.34']);
    const [fargate, ahead] = findings;
    expect(fargate?.message).toBe('12 Fargate node(s) run kubelet 1.29: after 1.32 → 1.33 they would be 4 minors behind the API server (at most 3)');
    expect(fargate?.evidence).toBe('kubelet v1.29.15-eks-473151a; 12 node(s): fargate-0, fargate-1, fargate-2, fargate-3, fargate-4, fargate-5, fargate-6, fargate-7, fargate-8, fargate-9 and 2 more');
    expect(fargate?.remedy).toMatch(/^restart the pods on these Fargate nodes/);
    expect(ahead?.message).toMatch(/newer than the API server/);
  });

  it('passes kubelets within three minors (1.28+), and gives Fargate nodes behind the target an INFO to restart after the hop', () => {
    const nodes = summarizeNodes([node('f', 'v1.31.2-eks-1', FARGATE), node('k', 'v1.30.0-eks-2', { 'karpenter.sh/nodepool': 'default' }), node('a', 'v1.33.1-eks-3', { 'eks.amazonaws.com/compute-type': 'auto' })]);
    expect(summary(checkNodeSkew(healthyCluster(), observed(nodes), undefined, hop))).toEqual(['INFO fargate-kubelet nodes/fargate/1.31']);
  });

  it('allows only two minors of skew up to 1.27 (the policy before 1.28)', () => {
    const nodes = summarizeNodes([node('h', 'v1.24.17-eks-1', { 'eks.amazonaws.com/compute-type': 'hybrid' }), node('s', 'v1.25.16-eks-2')]);
    const findings = checkNodeSkew(healthyCluster(), observed(nodes), undefined, { ...hop, from: '1.26', to: '1.27' });
    expect(summary(findings)).toEqual(['BLOCK node-kubelet-skew nodes/hybrid/1.24']);
    expect(findings[0]?.remedy).toMatch(/nodeadm upgrade 1\.26/);
  });

  it('warns about kubelet versions it cannot read instead of guessing', () => {
    const findings = checkNodeSkew(healthyCluster(), observed(summarizeNodes([node('x', ''), node('y', 'unknown')])), undefined, hop);
    expect(summary(findings)).toEqual(['WARN node-kubelet-unknown nodes/self-managed']);
    expect(findings[0]?.message).toBe('2 self-managed node(s) report a kubelet version eksops cannot read: their skew after 1.32 → 1.33 is unknown');
    expect(findings[0]?.evidence).toBe('kubelet (empty), unknown; 2 node(s): x, y');
  });

  it('says when the node list was cut', () => {
    expect(summary(checkNodeSkew(healthyCluster(), observed(summarizeNodes([node('a', 'v1.32.0')], 1)), undefined, hop))).toEqual(['WARN nodes-truncated cluster']);
  });

  it('warns when the Nodes API cannot be read, and falls back to what AWS shows', () => {
    const findings = checkNodeSkew(healthyCluster({ fargateProfiles: ['default'] }), observed({ error: 'KubernetesAccessError: forbidden', remedy: 'bind a ClusterRole' }), undefined, hop);
    expect(summary(findings)).toEqual(['WARN nodes-unreadable cluster', 'WARN fargate-skew-unknown cluster']);
    expect(findings[0]?.remedy).toBe('bind a ClusterRole');
  });
});

describe('node skew pre-flight check (kubernetesChecks off)', () => {
  it('finds nothing for a cluster of managed node groups only', () => {
    expect(checkNodeSkew(healthyCluster(), undefined, { karpenterInstances: 0, nodepools: [], instanceIds: [], truncated: false }, hop)).toEqual([]);
    expect(checkNodeSkew(healthyCluster(), undefined, undefined, hop)).toEqual([]);
  });

  it('reports Fargate profiles and Karpenter instances as unknown skew, saying how to get the exact check', () => {
    const ids = Array.from({ length: 10 }, (_, index) => `i-0${index}`);
    const findings = checkNodeSkew(healthyCluster({ fargateProfiles: ['default', 'batch'] }), undefined, { karpenterInstances: 14, nodepools: ['default'], instanceIds: ids, truncated: false }, hop);
    expect(summary(findings)).toEqual(['WARN fargate-skew-unknown cluster', 'WARN karpenter-skew-unknown cluster']);
    expect(findings[0]?.evidence).toBe('Fargate profiles: default, batch; their kubelets were not read');
    expect(findings[1]?.message).toBe("14 instance(s) launched by Karpenter: not in any managed node group, their kubelets' skew after 1.32 → 1.33 is unknown");
    expect(findings[1]?.evidence).toMatch(/i-09 and 4 more$/);
    expect(findings.every((finding) => finding.remedy.includes('upgrade.kubernetesChecks'))).toBe(true);
  });

  it('warns when EC2 could not be read for Karpenter instances', () => {
    const findings = checkNodeSkew(healthyCluster(), undefined, { error: 'UnauthorizedOperation: not allowed' }, hop);
    expect(summary(findings)).toEqual(['WARN capacity-unreadable cluster']);
    expect(findings[0]?.remedy).toMatch(/ec2:DescribeInstances/);
  });
});
