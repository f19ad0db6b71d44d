/** One stage of an upgrade: what is changed, and from/to which versions. Plain data, carried by the state machine. */
export interface AddonChange {
  name: string;
  from: string;
  to: string;
}

export interface NodegroupChange {
  name: string;
  from: string;
  to: string;
  /** For groups created with a launch template: the template, kept (custom AMI: the version the group moves to). */
  launchTemplate?: { id?: string; name?: string; version?: string };
  /** Custom AMI: EKS refuses an explicit Kubernetes version, the AMI in the template decides. */
  customAmi: boolean;
  desiredSize: number;
  maxUnavailable?: number;
  maxUnavailablePercentage?: number;
}

/** A self-managed group moved onto the recommended EKS-optimized AMI by an instance refresh. */
export interface SelfManagedChange {
  /** The Auto Scaling group. */
  name: string;
  launchTemplate: { id: string; name: string };
  /** The template version the group uses now: the source of the new version, which changes only the AMI. */
  sourceVersion: string;
  fromImage: string;
  toImage: string;
  /** The template already has that AMI (only instances lag, e.g. after a failed refresh): refresh onto it, create no version. */
  templateCurrent: boolean;
  /** The group names its template through a mixed instances policy: the refresh's desired configuration is that policy. */
  mixedInstances: boolean;
  desiredCapacity: number;
  /** Seconds each new instance warms up before the refresh moves on. */
  warmupSeconds: number;
  /** Set when the group has no DefaultInstanceWarmup: the refresh's InstanceWarmup preference. */
  instanceWarmup?: number;
}

export type Stage =
  | { kind: 'control-plane'; from: string; to: string }
  | { kind: 'addons'; clusterVersion: string; addons: AddonChange[] }
  | { kind: 'nodegroups'; clusterVersion: string; wave: 'canary' | 'wave'; nodegroups: NodegroupChange[] }
  | { kind: 'self-managed'; clusterVersion: string; groups: SelfManagedChange[] }
  | { kind: 'kube-proxy'; clusterVersion: string; addons: AddonChange[] };

export function describeStage(stage: Stage): string {
  switch (stage.kind) {
    case 'control-plane':
      return `control plane ${stage.from} → ${stage.to}`;
    case 'addons':
    case 'kube-proxy':
      return `${stage.kind === 'kube-proxy' ? 'kube-proxy' : 'add-ons'}: ${stage.addons.map((addon) => `${addon.name} ${addon.from} → ${addon.to}`).join(', ')}`;
    case 'nodegroups':
      return `${stage.wave === 'canary' ? 'canary node group' : 'node groups'} → ${stage.clusterVersion}: ${stage.nodegroups.map((nodegroup) => nodegroup.name).join(', ')}`;
    case 'self-managed':
      return `self-managed groups → ${stage.clusterVersion} (instance refresh): ${stage.groups.map((group) => `${group.name} ${group.fromImage} → ${group.toImage}`).join(', ')}`;
  }
}
