import type { ClusterSnapshot, LaunchTemplateUse, NodegroupSnapshot, SelfManagedGroupSnapshot } from '../../../shared/upgrade/snapshot.ts';

/** A healthy 1.32 cluster with 4 add-ons and 4 node groups, as observe.ts would read it from the sandbox. */
export function healthyCluster(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const nodegroup = (name: string, extra: Partial<NodegroupSnapshot> = {}): NodegroupSnapshot => ({ name, version: '1.32', status: 'ACTIVE', amiType: 'AL2023_ARM_64_STANDARD', desiredSize: 2, maxSize: 3, maxUnavailable: 1, subnets: ['subnet-0a1', 'subnet-0b2'], issues: [], ...extra });
  return {
    name: 'prod-eu',
    version: '1.32',
    status: 'ACTIVE',
    subnetIds: ['subnet-0a1', 'subnet-0b2'],
    issues: [],
    nodegroups: [nodegroup('system'), nodegroup('web'), nodegroup('batch'), nodegroup('gpu')],
    addons: [
      { name: 'vpc-cni', version: 'v1.19.2-eksbuild.1', status: 'ACTIVE', issues: [] },
      { name: 'coredns', version: 'v1.11.4-eksbuild.2', status: 'ACTIVE', issues: [] },
      { name: 'kube-proxy', version: 'v1.32.0-eksbuild.3', status: 'ACTIVE', issues: [] },
      { name: 'aws-ebs-csi-driver', version: 'v1.44.0-eksbuild.1', status: 'ACTIVE', issues: [] },
    ],
    offeredVersions: [
      { version: '1.32', status: 'STANDARD_SUPPORT', endOfStandardSupport: '2026-03-23T00:00:00.000Z', endOfExtendedSupport: '2027-03-23T00:00:00.000Z' },
      { version: '1.33', status: 'STANDARD_SUPPORT', endOfStandardSupport: '2026-07-29T00:00:00.000Z', endOfExtendedSupport: '2027-07-29T00:00:00.000Z' },
      { version: '1.34', status: 'STANDARD_SUPPORT', endOfStandardSupport: '2026-12-02T00:00:00.000Z', endOfExtendedSupport: '2027-12-02T00:00:00.000Z' },
    ],
    addonCatalogs: [
      {
        kubernetesVersion: '1.32',
        addons: {
          'vpc-cni': { versions: ['v1.21.1-eksbuild.1', 'v1.20.0-eksbuild.1', 'v1.19.2-eksbuild.1'], defaultVersion: 'v1.19.2-eksbuild.1' },
          coredns: { versions: ['v1.11.4-eksbuild.2'], defaultVersion: 'v1.11.4-eksbuild.2' },
          'kube-proxy': { versions: ['v1.32.0-eksbuild.3'], defaultVersion: 'v1.32.0-eksbuild.3' },
          'aws-ebs-csi-driver': { versions: ['v1.48.0-eksbuild.2', 'v1.44.0-eksbuild.1'], defaultVersion: 'v1.44.0-eksbuild.1' },
        },
      },
      {
        kubernetesVersion: '1.33',
        addons: {
          'vpc-cni': { versions: ['v1.21.1-eksbuild.1', 'v1.20.0-eksbuild.1', 'v1.19.2-eksbuild.1'], defaultVersion: 'v1.21.1-eksbuild.1' },
          coredns: { versions: ['v1.12.1-eksbuild.2', 'v1.11.4-eksbuild.2'], defaultVersion: 'v1.12.1-eksbuild.2' },
          'kube-proxy': { versions: ['v1.33.0-eksbuild.3'], defaultVersion: 'v1.33.0-eksbuild.3' },
          'aws-ebs-csi-driver': { versions: ['v1.48.0-eksbuild.2', 'v1.44.0-eksbuild.1'], defaultVersion: 'v1.44.0-eksbuild.1' },
        },
      },
    ],
    insights: [{ id: 'insight-deprecated', name: 'Deprecated APIs removed in Kubernetes v1.33', kubernetesVersion: '1.33', status: 'PASSING' }],
    subnets: [
      { id: 'subnet-0a1', availableIps: 240, availabilityZone: 'eu-west-1a' },
      { id: 'subnet-0b2', availableIps: 240, availabilityZone: 'eu-west-1b' },
    ],
    runningUpdates: [],
    fargateProfiles: [],
    selfManagedGroups: [],
    target: '1.33',
    observedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

/** The fixture's node group of that name (tests read it without non-null assertions). */
export function fixtureNodegroup(name: string): NodegroupSnapshot {
  const found = healthyCluster().nodegroups.find((nodegroup) => nodegroup.name === name);
  if (!found) throw new Error(`the fixture has no node group ${name}`);
  return found;
}

export function fixtureCatalog(version: string): ClusterSnapshot['addonCatalogs'][number] {
  const found = healthyCluster().addonCatalogs.find((catalog) => catalog.kubernetesVersion === version);
  if (!found) throw new Error(`the fixture has no catalog for ${version}`);
  return found;
}

/** Recommended AL2023 standard x86_64 AMIs of the fixture, per version (what the public SSM parameters say). */
export const RECOMMENDED_AL2023 = { '1.32': 'ami-0al2023x8632b', '1.33': 'ami-0al2023x8633b', '1.34': 'ami-0al2023x8634b' } as const;

/** Launch template `workers-lt` version 3, named explicitly, on an older AL2023 1.32 release; `overrides` change it. */
export function workersTemplate(overrides: Partial<LaunchTemplateUse> = {}): LaunchTemplateUse {
  return {
    id: 'lt-0workers',
    name: 'workers-lt',
    version: '3',
    versionNumber: '3',
    mixedInstances: false,
    imageId: 'ami-0al2023x8632a',
    imageName: 'amazon-eks-node-al2023-x86_64-standard-1.32-v20250101',
    ami: { family: 'AL2023', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.32' },
    ...overrides,
  };
}

/** A self-managed group on {@link workersTemplate}, 4 instances all on its AMI, no DefaultInstanceWarmup. */
export function selfManagedGroup(name = 'legacy-workers', overrides: Partial<SelfManagedGroupSnapshot> = {}): SelfManagedGroupSnapshot {
  return {
    name,
    desiredCapacity: 4,
    healthCheckGracePeriod: 0,
    launchTemplate: workersTemplate(),
    outdatedInstances: 0,
    recommendedImages: { ...RECOMMENDED_AL2023 },
    ...overrides,
  };
}
