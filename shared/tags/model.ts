/**
 * The node tag reconciler's data: what observe reads (a plain snapshot, no SDK types), what decide returns
 * (a plan), and the vocabulary both share. Nothing here talks to AWS.
 */
export type Tags = Readonly<Record<string, string>>;

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface NodegroupObservation {
  name: string;
  status: string;
  tags: Tags;
  labels: Tags;
  taints: readonly { key: string; value?: string; effect: TaintEffect }[];
  asgNames: readonly string[];
  instanceTypes: readonly string[];
}

export interface AsgTag {
  value: string;
  propagate: boolean;
}

export interface AsgObservation {
  name: string;
  /** `managed`: made by EKS for a node group; `self-managed`: the cluster's own ASG. */
  kind: 'managed' | 'self-managed';
  nodegroup?: string;
  tags: Readonly<Record<string, AsgTag>>;
  availabilityZones: readonly string[];
  suspendedProcesses: readonly string[];
  instanceIds: readonly string[];
}

export interface InstanceObservation {
  id: string;
  asgName?: string;
  tags: Tags;
  /** InstanceMetadataTags enabled: the instance can read its tags from IMDS, and keys with `/` are refused. */
  metadataTags: boolean;
  availabilityZone?: string;
}

export interface AttachmentObservation {
  id: string;
  kind: 'volume' | 'network-interface';
  instanceId: string;
  tags: Tags;
}

export interface ClusterObservation {
  name: string;
  region: string;
  /** Absent for the deployment's own account. */
  accountId?: string;
  requiredTags: Tags;
  /** Self-managed ASGs named in the configuration (they may lack the cluster tag: that is a lint). */
  namedSelfManaged: readonly string[];
  nodegroups: readonly NodegroupObservation[];
  asgs: readonly AsgObservation[];
  instances: readonly InstanceObservation[];
  attachments: readonly AttachmentObservation[];
  /** The EBS CSI driver add-on is installed (known on full runs only). */
  ebsCsiDriver?: boolean;
  /** Node groups still CREATING whose ASG does not exist yet: the next run (or the ASG's own event) tags them. */
  pendingNodegroups: readonly string[];
}

export type ResourceKind = 'auto-scaling-group' | 'instance' | 'volume' | 'network-interface';

/** The difference for one resource: keys to set (with PropagateAtLaunch for ASGs) and keys to delete. */
export interface ResourceChange {
  kind: ResourceKind;
  id: string;
  set: Record<string, string>;
  /** ASG only: the PropagateAtLaunch flag of each key in `set`. */
  propagate?: Record<string, boolean>;
  remove: string[];
}

export type FindingRule =
  | 'metadata-tags-slash'
  | 'tag-limit'
  | 'cluster-tag-conflict'
  | 'karpenter-or-auto-mode'
  | 'reserved-key'
  | 'managed-record-full'
  | 'user-value-kept'
  | 'user-value-overwritten'
  | 'autoscaler-opt-out'
  | 'unverified-record';

/** Something decide refused to do, and why (reported, never a failure). */
export interface Finding {
  rule: FindingRule;
  resource: string;
  message: string;
}

export type LintRule = 'ebs-multi-az' | 'az-rebalance' | 'unbalanced-labels' | 'self-managed-missing-cluster-tag' | 'metadata-tags-conflict' | 'near-tag-limit';

/** A configuration smell found while observing, with the evidence a person needs to act on it. */
export interface Lint {
  rule: LintRule;
  subject: string;
  evidence: string[];
}

export interface ClusterPlan {
  cluster: string;
  region: string;
  /** Absent for the deployment's own account. */
  accountId?: string;
  changes: ResourceChange[];
  findings: Finding[];
  lints: Lint[];
  pendingNodegroups: readonly string[];
}
