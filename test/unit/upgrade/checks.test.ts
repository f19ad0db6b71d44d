import { describe, expect, it } from '@jest/globals';
import { blocking, preflight } from '../../../shared/upgrade/checks/index.ts';
import { fixtureNodegroup, healthyCluster, RECOMMENDED_AL2023, selfManagedGroup, workersTemplate } from './snapshot-fixture.ts';

const hop = { from: '1.32', to: '1.33', now: new Date('2026-03-02T09:00:00Z') };

describe('pre-flight checks', () => {
  it('find nothing that blocks a healthy cluster', () => {
    const findings = preflight(healthyCluster(), hop);
    expect(blocking(findings)).toEqual([]);
    // The only findings: kube-proxy is moved after the node groups, and 1.32 leaves standard support soon.
    expect(findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`)).toEqual(['INFO addon-compatibility addon/kube-proxy']);
  });

  it('say a support date already past as past, and warn that the hop lands in extended support', () => {
    const offered = (endOfStandardSupport: string) => healthyCluster({ offeredVersions: [{ version: '1.32', status: 'STANDARD_SUPPORT', endOfStandardSupport: '2026-12-01T00:00:00.000Z' }, { version: '1.33', status: 'EXTENDED_SUPPORT', endOfStandardSupport }] });
    const support = (endOfStandardSupport: string) => preflight(offered(endOfStandardSupport), hop).filter((finding) => finding.check === 'support').map((finding) => `${finding.severity} ${finding.message}`);
    expect(support('2026-02-01T00:00:00.000Z')).toEqual(['WARN 1.33 left standard support on 2026-02-01: after this hop the cluster is in extended support (6× per hour)']);
    expect(support('2026-04-01T00:00:00.000Z')).toEqual(['INFO 1.33 leaves standard support on 2026-04-01']);
    expect(support('2027-04-01T00:00:00.000Z')).toEqual([]);
  });

  it('report every problem of a troubled cluster, BLOCK first, with evidence and remedy (snapshot)', () => {
    const base = healthyCluster();
    const troubled = healthyCluster({
      status: 'UPDATING',
      runningUpdates: [{ id: 'u-1', type: 'VersionUpdate' }],
      issues: [{ code: 'Ec2SubnetNotFound', message: 'subnet-0c3 was deleted' }],
      nodegroups: [
        { ...fixtureNodegroup('system'), version: '1.31', issues: [{ code: 'AsgInstanceLaunchFailures', message: 'capacity' }] },
        { ...fixtureNodegroup('web'), amiType: 'AL2_x86_64' },
        { ...fixtureNodegroup('batch'), amiType: 'CUSTOM', launchTemplate: { name: 'batch-lt', version: '7' } },
        { ...fixtureNodegroup('gpu'), version: '1.29', status: 'DEGRADED' },
      ],
      addons: [...base.addons, { name: 'legacy-addon', version: 'v0.1.0', status: 'DEGRADED', issues: [{ code: 'InsufficientNumberOfReplicas', message: '0/2 ready' }] }],
      insights: [
        { id: 'insight-deprecated', name: 'Deprecated APIs removed in Kubernetes v1.33', kubernetesVersion: '1.33', status: 'ERROR', reason: 'flowcontrol.apiserver.k8s.io/v1beta3 in use', recommendation: 'migrate to v1' },
        { id: 'insight-skew', name: 'Kubelet version skew', kubernetesVersion: '1.33', status: 'WARNING', reason: '1 node at 1.29' },
        { id: 'insight-old', name: 'Old insight', kubernetesVersion: '1.32', status: 'ERROR' },
      ],
      subnets: [
        { id: 'subnet-0a1', availableIps: 2, availabilityZone: 'eu-west-1a' },
        { id: 'subnet-0b2', availableIps: 1, availabilityZone: 'eu-west-1b' },
      ],
      offeredVersions: [{ version: '1.32', status: 'EXTENDED_SUPPORT', endOfStandardSupport: '2026-03-01T00:00:00.000Z' }],
    });
    expect(preflight(troubled, { ...hop, to: '1.34' })).toMatchSnapshot();
    expect(preflight(troubled, hop)).toMatchSnapshot();
  });

  it('block a hop to a version EKS does not offer, and a skipped minor', () => {
    const cluster = healthyCluster();
    expect(blocking(preflight(cluster, { ...hop, to: '1.35' })).map((finding) => finding.check)).toContain('target-next-minor');
    const notOffered = healthyCluster({ offeredVersions: cluster.offeredVersions.filter((offered) => offered.version !== '1.33') });
    expect(blocking(preflight(notOffered, hop)).map((finding) => finding.check)).toEqual(['target-offered']);
  });

  it('apply the kubelet skew of the target: n-3 from 1.28, n-2 before', () => {
    const skewed = (version: string, to: string) =>
      preflight(healthyCluster({ version, nodegroups: [{ ...fixtureNodegroup('system'), version: `1.${Number(to.split('.')[1]) - 3}` }] }), { ...hop, from: version, to }).filter((finding) => finding.check === 'kubelet-skew');
    expect(skewed('1.32', '1.33')).toEqual([]);
    expect(skewed('1.26', '1.27').map((finding) => finding.message)).toEqual(['kubelet 1.24 would be 3 minors behind 1.27 (at most 2)']);
  });

  it('need 5 free addresses in each of two zones of the cluster subnets, and room for the surge in each zone of the node subnets', () => {
    const withIps = (a: number, b: number) => preflight(healthyCluster({ subnets: [{ id: 'subnet-0a1', availableIps: a, availabilityZone: 'eu-west-1a' }, { id: 'subnet-0b2', availableIps: b, availabilityZone: 'eu-west-1b' }] }), hop);
    expect(blocking(withIps(5, 5))).toEqual([]);
    // {3, 2} and {200, 0} sum to 5 or more, which the old check accepted: neither is two zones with five.
    expect(blocking(withIps(3, 2)).map((finding) => finding.check)).toEqual(['cluster-subnet-ips']);
    expect(blocking(withIps(200, 0)).map((finding) => `${finding.check} ${finding.resource}`)).toEqual([
      'cluster-subnet-ips cluster',
      // The fixture's groups (2 nodes over 2 zones) must each launch a node in eu-west-1b, which has no address left.
      'node-subnet-ips nodegroup/system',
      'node-subnet-ips nodegroup/web',
      'node-subnet-ips nodegroup/batch',
      'node-subnet-ips nodegroup/gpu',
    ]);
    // Room for the control plane, short of the ~30 addresses a group's update may take with the VPC CNI: warnings only.
    expect(withIps(200, 20).filter((finding) => finding.check === 'node-subnet-ips').map((finding) => `${finding.severity} ${finding.resource}`)).toEqual(['WARN nodegroup/system', 'WARN nodegroup/web', 'WARN nodegroup/batch', 'WARN nodegroup/gpu']);
  });

  it('say what happens to each self-managed group, with and without the opt-in (snapshot)', () => {
    const groups = [
      selfManagedGroup('al2023-workers', { recommendedImages: { ...RECOMMENDED_AL2023 } }),
      selfManagedGroup('bottlerocket-arm', {
        launchTemplate: workersTemplate({ name: 'br-lt', version: '$Latest', versionNumber: '7', imageId: 'ami-0br32arm', imageName: 'bottlerocket-aws-k8s-1.32-aarch64-v1.40.0-1a2b3c4d', ami: { family: 'BOTTLEROCKET', variant: 'standard', architecture: 'arm64', kubernetesVersion: '1.32' } }),
        recommendedImages: { '1.32': 'ami-0br32armnew', '1.33': 'ami-0br33arm' },
        outdatedInstances: 1,
      }),
      selfManagedGroup('al2-workers', { launchTemplate: workersTemplate({ imageId: 'ami-0al232', imageName: 'amazon-eks-node-1.32-v20260215', ami: { family: 'AL2', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.32' } }), recommendedImages: { '1.32': 'ami-0al232' } }),
      selfManagedGroup('custom-workers', { launchTemplate: workersTemplate({ imageId: 'ami-0golden', imageName: 'acme-golden-eks', ami: undefined }), recommendedImages: {} }),
      selfManagedGroup('lc-workers', { launchTemplate: undefined, obstacle: 'launch-configuration', recommendedImages: {} }),
      selfManagedGroup('spot-workers', { launchTemplate: undefined, obstacle: 'per-type-launch-templates', recommendedImages: {} }),
      selfManagedGroup('ssm-workers', { launchTemplate: workersTemplate({ imageId: 'resolve:ssm:/acme/ami', imageName: undefined, ami: undefined }), obstacle: 'ssm-parameter-ami', recommendedImages: {} }),
    ];
    const cluster = healthyCluster({ selfManagedGroups: groups });
    const ofSelfManaged = (refreshSelfManaged: boolean) => preflight(cluster, { ...hop, refreshSelfManaged }).filter((finding) => finding.resource.startsWith('autoscaling/'));
    expect(ofSelfManaged(false).map((finding) => finding.severity)).toEqual(Array(groups.length).fill('INFO'));
    expect(ofSelfManaged(false)).toMatchSnapshot();
    expect(ofSelfManaged(true)).toMatchSnapshot();
  });

  it('block a hop that would leave a self-managed kubelet beyond the skew policy', () => {
    const old = selfManagedGroup('old-workers', { launchTemplate: workersTemplate({ imageName: 'amazon-eks-node-al2023-x86_64-standard-1.29-v20240601', ami: { family: 'AL2023', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.29' } }) });
    expect(blocking(preflight(healthyCluster({ selfManagedGroups: [old] }), hop)).map((finding) => [finding.check, finding.resource, finding.message])).toEqual([['kubelet-skew', 'autoscaling/old-workers', 'kubelet 1.29 (its AMI) would be 4 minors behind 1.33 (at most 3)']]);
    // One minor newer is within the policy: nothing blocks.
    const newer = selfManagedGroup('old-workers', { launchTemplate: workersTemplate({ ami: { family: 'AL2023', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.30' } }) });
    expect(blocking(preflight(healthyCluster({ selfManagedGroups: [newer] }), hop))).toEqual([]);
  });

  it('block AL2 node groups from 1.33 on, not before', () => {
    const al2 = healthyCluster({ nodegroups: [{ ...fixtureNodegroup('system'), amiType: 'AL2_ARM_64' }] });
    expect(blocking(preflight(al2, hop)).map((finding) => finding.check)).toEqual(['al2-ami']);
    expect(blocking(preflight({ ...al2, version: '1.31' }, { ...hop, from: '1.31', to: '1.32' })).map((finding) => finding.check)).not.toContain('al2-ami');
  });
});
