/**
 * What the sandbox's EKS offers: Kubernetes versions with their support dates, and add-on versions with the
 * cluster versions each is compatible with. Shaped like the answers of DescribeClusterVersions and
 * DescribeAddonVersions; dates from the EKS Kubernetes release calendar (standard support 14 months,
 * extended support 12 more), rounded where AWS had not published them yet.
 */
export interface KubernetesVersionEntry {
  version: string;
  releaseDate: string;
  endOfStandardSupportDate: string;
  endOfExtendedSupportDate: string;
  /** AL2 EKS-optimized AMIs are published up to 1.32 (EKS: "Kubernetes 1.32 is the last version for which AL2 AMIs are released"). */
  al2Ami: boolean;
}

export const KUBERNETES_VERSIONS: readonly KubernetesVersionEntry[] = [
  { version: '1.30', releaseDate: '2024-05-23', endOfStandardSupportDate: '2025-07-23', endOfExtendedSupportDate: '2026-07-23', al2Ami: true },
  { version: '1.31', releaseDate: '2024-09-26', endOfStandardSupportDate: '2025-11-26', endOfExtendedSupportDate: '2026-11-26', al2Ami: true },
  { version: '1.32', releaseDate: '2025-01-23', endOfStandardSupportDate: '2026-03-23', endOfExtendedSupportDate: '2027-03-23', al2Ami: true },
  { version: '1.33', releaseDate: '2025-05-29', endOfStandardSupportDate: '2026-07-29', endOfExtendedSupportDate: '2027-07-29', al2Ami: false },
  { version: '1.34', releaseDate: '2025-10-02', endOfStandardSupportDate: '2026-12-02', endOfExtendedSupportDate: '2027-12-02', al2Ami: false },
  { version: '1.35', releaseDate: '2026-01-27', endOfStandardSupportDate: '2027-03-27', endOfExtendedSupportDate: '2028-03-27', al2Ami: false },
];

export interface AddonVersionEntry {
  addonName: string;
  addonVersion: string;
  /** Cluster versions this add-on version runs on. */
  clusterVersions: readonly string[];
  /** Cluster versions for which EKS installs this version by default. */
  defaultFor: readonly string[];
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, index) => `1.${from + index}`);

export const ADDON_VERSIONS: readonly AddonVersionEntry[] = [
  // vpc-cni: one build runs on many cluster versions; AWS asks to move it one minor version at a time.
  { addonName: 'vpc-cni', addonVersion: 'v1.18.6-eksbuild.1', clusterVersions: range(30, 33), defaultFor: ['1.30'] },
  { addonName: 'vpc-cni', addonVersion: 'v1.19.2-eksbuild.1', clusterVersions: range(30, 34), defaultFor: ['1.31', '1.32'] },
  { addonName: 'vpc-cni', addonVersion: 'v1.20.0-eksbuild.1', clusterVersions: range(31, 35), defaultFor: ['1.33'] },
  { addonName: 'vpc-cni', addonVersion: 'v1.21.1-eksbuild.1', clusterVersions: range(32, 35), defaultFor: ['1.34', '1.35'] },
  // coredns: a version per couple of Kubernetes minors.
  { addonName: 'coredns', addonVersion: 'v1.11.3-eksbuild.2', clusterVersions: range(30, 32), defaultFor: ['1.30', '1.31'] },
  { addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.2', clusterVersions: range(31, 33), defaultFor: ['1.32'] },
  { addonName: 'coredns', addonVersion: 'v1.12.1-eksbuild.2', clusterVersions: range(33, 34), defaultFor: ['1.33'] },
  { addonName: 'coredns', addonVersion: 'v1.12.3-eksbuild.1', clusterVersions: range(34, 35), defaultFor: ['1.34'] },
  { addonName: 'coredns', addonVersion: 'v1.13.1-eksbuild.1', clusterVersions: range(35, 35), defaultFor: ['1.35'] },
  // kube-proxy: built per Kubernetes minor, for that minor only.
  ...range(30, 35).map((version) => ({ addonName: 'kube-proxy', addonVersion: `v${version}.0-eksbuild.3`, clusterVersions: [version], defaultFor: [version] })),
  { addonName: 'aws-ebs-csi-driver', addonVersion: 'v1.44.0-eksbuild.1', clusterVersions: range(30, 34), defaultFor: range(30, 33) },
  { addonName: 'aws-ebs-csi-driver', addonVersion: 'v1.48.0-eksbuild.2', clusterVersions: range(31, 35), defaultFor: ['1.34', '1.35'] },
];

export function nextMinor(version: string): string {
  const [major, minor] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
}

export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}
