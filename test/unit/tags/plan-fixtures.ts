import type { AsgObservation, AttachmentObservation, ClusterObservation, InstanceObservation, NodegroupObservation } from '../../../shared/tags/model.ts';
import type { TagPolicy } from '../../../shared/tags/policy.ts';

/** Small, readable snapshots for the decide tests: no AWS, no mocks. */
export const POLICY: TagPolicy = { autoscalerDiscovery: false, allow: ['*'], deny: [] };

export function nodegroup(overrides: Partial<NodegroupObservation> = {}): NodegroupObservation {
  return { name: 'general', status: 'ACTIVE', tags: {}, labels: {}, taints: [], asgNames: ['eks-general'], instanceTypes: ['m6g.large'], ...overrides };
}

export function managedAsg(overrides: Partial<AsgObservation> = {}): AsgObservation {
  return { name: 'eks-general', kind: 'managed', nodegroup: 'general', tags: {}, availabilityZones: ['eu-west-1a'], suspendedProcesses: [], instanceIds: [], ...overrides };
}

export function instance(id: string, overrides: Partial<InstanceObservation> = {}): InstanceObservation {
  return { id, asgName: 'eks-general', tags: { 'aws:autoscaling:groupName': 'eks-general' }, metadataTags: false, ...overrides };
}

export function volume(id: string, instanceId: string, tags: Record<string, string> = {}): AttachmentObservation {
  return { id, kind: 'volume', instanceId, tags };
}

export function cluster(overrides: Partial<ClusterObservation> = {}): ClusterObservation {
  return { name: 'prod', region: 'eu-west-1', accountId: '111122223333', requiredTags: {}, namedSelfManaged: [], nodegroups: [nodegroup()], asgs: [managedAsg()], instances: [], attachments: [], pendingNodegroups: [], ...overrides };
}
