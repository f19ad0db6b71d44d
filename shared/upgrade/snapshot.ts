import type { EksOptimizedAmi } from './eks-amis.ts';

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
  /** scalingConfig.maxSize: what the group may grow to, and so what its subnets must have room for (plus the update's surge). */
  maxSize: number;
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
  /** The insight's id (ListInsights): what upgrade.insightOverrides name. */
  id: string;
  name: string;
  kubernetesVersion: string;
  status: 'PASSING' | 'WARNING' | 'ERROR' | 'UNKNOWN';
  reason?: string;
  recommendation?: string;
  /** When EKS last evaluated it (about every 24 hours, or on StartInsightsRefresh); absent when EKS did not say. */
  lastRefreshTime?: string;
}

/** The cluster's newest successful Kubernetes version update (ListUpdates + DescribeUpdate, type VersionUpdate). */
export interface VersionUpdateRecord {
  id: string;
  /** When it was started (DescribeUpdate createdAt: EKS records no end time). */
  createdAt: string;
  /** The version it moved to (its `Version` param). */
  version?: string;
}

export interface SubnetSnapshot {
  id: string;
  availableIps: number;
  /** DescribeSubnets AvailabilityZone; '' when EC2 did not say. */
  availabilityZone: string;
}

export interface RunningUpdate {
  /** An EKS update id, or an instance refresh id (with `autoScalingGroup`). */
  id: string;
  type: string;
  /** The node group or add-on it concerns; absent for the cluster itself. */
  nodegroup?: string;
  addon?: string;
  /** A self-managed group's instance refresh (Auto Scaling, not EKS). */
  autoScalingGroup?: string;
}

/** The launch template a self-managed group launches from, resolved to the version and AMI it uses now. */
export interface LaunchTemplateUse {
  id: string;
  name: string;
  /** As the group names it: a number, `$Latest` or `$Default`. */
  version: string;
  /** The version number that resolves to now (DescribeLaunchTemplateVersions). */
  versionNumber: string;
  /** Named by a mixed instances policy (one template for every instance type) rather than by the group itself. */
  mixedInstances: boolean;
  imageId: string;
  imageName?: string;
  /** Set when the AMI is an EKS-optimized one (from its name). */
  ami?: EksOptimizedAmi;
}

/** Why eksops cannot refresh a self-managed group, whatever its AMI. */
export type SelfManagedObstacle = 'launch-configuration' | 'per-type-launch-templates' | 'ssm-parameter-ami' | 'no-launch-template';

export interface SelfManagedGroupSnapshot {
  name: string;
  desiredCapacity: number;
  /** The group's DefaultInstanceWarmup, when set: an instance refresh then waits that long after each launch. */
  defaultInstanceWarmup?: number;
  healthCheckGracePeriod: number;
  launchTemplate?: LaunchTemplateUse;
  obstacle?: SelfManagedObstacle;
  /**
   * InService instances, not protected from scale in, running another AMI than the template's (launched from an
   * older version, or before a refresh failed). Protected and Standby instances are left out: a refresh leaves
   * them alone by default, so counting them would ask for a refresh that never converges.
   */
  outdatedInstances: number;
  /** The recommended AMI of the same kind per Kubernetes version (public SSM parameter); a version missing has none published. */
  recommendedImages: Record<string, string>;
}

import type { PdbObservation } from './checks/pod-disruption-budgets.ts';
import type { UnmanagedCapacityObservation } from './observe-capacity.ts';
import type { KubernetesObservation } from './observe-kubernetes.ts';

export type { PdbObservation, PdbSnapshot } from './checks/pod-disruption-budgets.ts';

export interface ClusterSnapshot {
  name: string;
  version: string;
  /** Where the run goes (target.ts: the requested version, else the newest EKS offers); the catalogs reach it. */
  target: string;
  status: string;
  platformVersion?: string;
  subnetIds: string[];
  issues: HealthIssue[];
  nodegroups: NodegroupSnapshot[];
  addons: AddonSnapshot[];
  /** Versions EKS offers now (DescribeClusterVersions), oldest first. */
  offeredVersions: OfferedVersion[];
  /** Add-on versions for the cluster's version and every offered minor up to the target. */
  addonCatalogs: AddonCatalog[];
  insights: InsightSnapshot[];
  subnets: SubnetSnapshot[];
  runningUpdates: RunningUpdate[];
  /** The newest successful control-plane version update EKS records for the cluster: when the last hop ran. */
  lastVersionUpdate?: VersionUpdateRecord;
  /** Self-managed Auto Scaling groups of the cluster (tagged kubernetes.io/cluster/<name>, not a managed node group's). */
  selfManagedGroups: SelfManagedGroupSnapshot[];
  /** Fargate profile names: eksops cannot restart their pods, it names them. */
  fargateProfiles: string[];
  /** Nodes, kube-system components, controllers, deprecated APIs from the cluster API (kubernetesChecks on); absent otherwise. */
  kubernetes?: KubernetesObservation;
  /** Karpenter instances seen from EC2 when the cluster API is not read (kubernetesChecks off); absent otherwise. */
  unmanagedCapacity?: UnmanagedCapacityObservation;
  /** The cluster's PodDisruptionBudgets, read from its Kubernetes API when `kubernetesChecks` is on; absent otherwise. */
  podDisruptionBudgets?: PdbObservation;
  /** When observed (ISO 8601). */
  observedAt: string;
}
