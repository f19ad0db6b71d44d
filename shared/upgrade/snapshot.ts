/**
 * What an upgrade decision needs to know about a cluster, read from AWS by observe.ts: plain data, so the
 * checks and the planner are pure functions of it.
 */
export interface HealthIssue {
  code: string;
  message: string;
}

export interface NodegroupSnapshot {
  name: string;
  version: string;
  releaseVersion?: string;
  status: string;
  amiType?: string;
  /** Set when the group was created with a launch template (custom AMI or settings). */
  launchTemplate?: { id?: string; name?: string; version?: string };
  desiredSize: number;
  maxUnavailable?: number;
  maxUnavailablePercentage?: number;
  subnets: string[];
  issues: HealthIssue[];
}

export interface AddonSnapshot {
  name: string;
  version: string;
  status: string;
  issues: HealthIssue[];
}

export interface OfferedVersion {
  version: string;
  status: 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNKNOWN';
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
}

/** The add-on versions EKS offers for one Kubernetes version (DescribeAddonVersions). */
export interface AddonCatalog {
  kubernetesVersion: string;
  addons: Record<string, { versions: string[]; defaultVersion?: string }>;
}

export interface InsightSnapshot {
  name: string;
  kubernetesVersion: string;
  status: 'PASSING' | 'WARNING' | 'ERROR' | 'UNKNOWN';
  reason?: string;
  recommendation?: string;
}

export interface SubnetSnapshot {
  id: string;
  availableIps: number;
}

export interface RunningUpdate {
  id: string;
  type: string;
  /** The node group or add-on it concerns; absent for the cluster itself. */
  nodegroup?: string;
  addon?: string;
}

export interface ClusterSnapshot {
  name: string;
  version: string;
  status: string;
  platformVersion?: string;
  subnetIds: string[];
  issues: HealthIssue[];
  nodegroups: NodegroupSnapshot[];
  addons: AddonSnapshot[];
  /** Versions EKS offers now (DescribeClusterVersions), oldest first. */
  offeredVersions: OfferedVersion[];
  /** Add-on versions for the cluster's version and for the next minor (when EKS offers it). */
  addonCatalogs: AddonCatalog[];
  insights: InsightSnapshot[];
  subnets: SubnetSnapshot[];
  runningUpdates: RunningUpdate[];
  /** Self-managed Auto Scaling groups of the cluster (tagged kubernetes.io/cluster/<name>, not a managed node group's). */
  selfManagedGroups: string[];
  /** Fargate profile names: eksops cannot restart their pods, it names them. */
  fargateProfiles: string[];
  /** When observed (ISO 8601). */
  observedAt: string;
}
