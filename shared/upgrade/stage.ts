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

export type Stage =
  | { kind: 'control-plane'; from: string; to: string }
  | { kind: 'addons'; clusterVersion: string; addons: AddonChange[] }
  | { kind: 'nodegroups'; clusterVersion: string; wave: 'canary' | 'wave'; nodegroups: NodegroupChange[] }
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
  }
}
