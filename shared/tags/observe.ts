import { type AutoScalingClient, DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeVolumesCommand, type EC2Client, type Filter, type Tag } from '@aws-sdk/client-ec2';
import { DescribeAddonCommand, DescribeNodegroupCommand, type EKSClient, ListNodegroupsCommand, type Nodegroup } from '@aws-sdk/client-eks';
import type { Clock } from '../time/clock.ts';
import { chunk } from '../collections/chunk.ts';
import { mapBounded } from '../concurrency/map-bounded.ts';
import { taintEffect } from './desired-tags.ts';
import { withEksRequestLimitRetry } from '../aws/eks-request-limit-retry.ts';
import type { AsgObservation, AttachmentObservation, ClusterObservation, InstanceObservation, NodegroupObservation, Tags } from './model.ts';
import { ASG_NAME_TAG, clusterTag, NODEGROUP_NAME_TAG } from './well-known-tags.ts';

/** The clients observe reads through (what it may call is the nodeTags role's: deploy/iam). */
export interface ObserveClients {
  eks: EKSClient;
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
}

export interface ClusterTarget {
  name: string;
  region: string;
  /** Another account's ID; absent for the deployment's own account (shared/config/clusters.ts). */
  accountId?: string;
  requiredTags: Tags;
  /** Self-managed ASGs named in the configuration. */
  selfManaged: readonly string[];
}

/** Narrows a run to part of a cluster (an event names one node group, ASG or instance). */
export interface ObserveScope {
  nodegroups?: readonly string[];
  asgNames?: readonly string[];
  instanceIds?: readonly string[];
}

export interface ObserveOptions {
  clock: Clock;
  concurrency: number;
  scope?: ObserveScope;
}

// EC2 Describe* filters take at most 200 values each.
const FILTER_VALUES = 200;
// DescribeAutoScalingGroups: at most 100 names per call (MaxRecords 100).
const ASG_NAMES_PER_CALL = 50;
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** Observe: one cluster's node groups, ASGs, instances, volumes and ENIs, paginated to the end. */
export async function observeCluster(clients: ObserveClients, target: ClusterTarget, options: ObserveOptions): Promise<ClusterObservation> {
  const scope = options.scope ?? {};
  const nodegroups = await observeNodegroups(clients.eks, target.name, scope, options);
  const managedNames = nodegroups.flatMap((nodegroup) => nodegroup.asgNames.map((asg) => ({ asg, nodegroup: nodegroup.name })));
  const managedAsgs = await describeAsgsByName(clients.autoscaling, managedNames.map((entry) => entry.asg));
  const managedFound = new Set(managedAsgs.map((asg) => asg.AutoScalingGroupName));
  // A node group being created lists its ASG a moment before Auto Scaling has it: wait it out.
  const pendingNodegroups = nodegroups.filter((nodegroup) => nodegroup.asgNames.length === 0 || nodegroup.asgNames.some((name) => !managedFound.has(name))).map((nodegroup) => nodegroup.name);

  const asgs: AsgObservation[] = managedAsgs.map((asg) => toAsg(asg, 'managed', managedNames.find((entry) => entry.asg === asg.AutoScalingGroupName)?.nodegroup));
  // Self-managed groups: on a full run, or when the event named an ASG that belongs to no node group.
  if (!scope.nodegroups || (scope.asgNames && scope.nodegroups.length === 0)) {
    const selfManaged = await describeSelfManaged(clients.autoscaling, target);
    for (const asg of selfManaged) {
      if (managedFound.has(asg.AutoScalingGroupName) || asg.Tags?.some((tag) => tag.Key === NODEGROUP_NAME_TAG)) continue;
      asgs.push(toAsg(asg, 'self-managed'));
    }
  }
  const inScope = scope.asgNames ? asgs.filter((asg) => scope.asgNames?.includes(asg.name)) : asgs;
  const instances = await describeInstances(clients.ec2, inScope.map((asg) => asg.name), scope.instanceIds);
  const instanceIds = instances.map((instance) => instance.id);
  const attachments = await describeAttachments(clients.ec2, instanceIds);
  const ebsCsiDriver = options.scope ? undefined : await hasEbsCsiDriver(clients.eks, target.name, options.clock);
  return {
    ...(ebsCsiDriver === undefined ? {} : { ebsCsiDriver }),
    name: target.name,
    region: target.region,
    ...(target.accountId === undefined ? {} : { accountId: target.accountId }),
    requiredTags: target.requiredTags,
    namedSelfManaged: target.selfManaged,
    nodegroups,
    asgs: inScope,
    instances,
    attachments,
    pendingNodegroups,
  };
}

async function observeNodegroups(eks: ObserveClients['eks'], cluster: string, scope: ObserveScope, options: ObserveOptions): Promise<NodegroupObservation[]> {
  const names = scope.nodegroups ? [...scope.nodegroups] : await listNodegroups(eks, cluster, options.clock);
  const described = await mapBounded(names, options.concurrency, async (name) => {
    try {
      const output = await withEksRequestLimitRetry(() => eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name })), options.clock);
      return output.nodegroup;
    } catch (error) {
      // Deleted between ListNodegroups and DescribeNodegroup: gone, not a failure.
      if ((error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  });
  return described.filter((nodegroup): nodegroup is Nodegroup => nodegroup !== undefined && nodegroup.status !== 'DELETING').map(toNodegroup);
}

// The EBS CSI driver as an EKS add-on (the lint also counts CSI volumes, which a self-installed driver makes).
async function hasEbsCsiDriver(eks: ObserveClients['eks'], cluster: string, clock: Clock): Promise<boolean> {
  try {
    await withEksRequestLimitRetry(() => eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: 'aws-ebs-csi-driver' })), clock);
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

async function listNodegroups(eks: ObserveClients['eks'], cluster: string, clock: Clock): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await withEksRequestLimitRetry(() => eks.send(new ListNodegroupsCommand({ clusterName: cluster, ...(token ? { nextToken: token } : {}) })), clock);
    names.push(...(page.nodegroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

function toNodegroup(nodegroup: Nodegroup): NodegroupObservation {
  return {
    name: nodegroup.nodegroupName ?? '',
    status: nodegroup.status ?? 'UNKNOWN',
    tags: nodegroup.tags ?? {},
    labels: nodegroup.labels ?? {},
    taints: (nodegroup.taints ?? []).flatMap((taint) => {
      const effect = taintEffect(taint.effect ?? '');
      return taint.key && effect ? [{ key: taint.key, effect, ...(taint.value !== undefined ? { value: taint.value } : {}) }] : [];
    }),
    asgNames: (nodegroup.resources?.autoScalingGroups ?? []).flatMap((asg) => (asg.name ? [asg.name] : [])),
    instanceTypes: nodegroup.instanceTypes ?? [],
  };
}

async function describeAsgsByName(autoscaling: ObserveClients['autoscaling'], names: readonly string[]): Promise<AutoScalingGroup[]> {
  const groups: AutoScalingGroup[] = [];
  for (const batch of chunk([...new Set(names)], ASG_NAMES_PER_CALL)) groups.push(...(await pagedAsgs(autoscaling, { AutoScalingGroupNames: batch })));
  return groups;
}

async function describeSelfManaged(autoscaling: ObserveClients['autoscaling'], target: ClusterTarget): Promise<AutoScalingGroup[]> {
  const tagged = await pagedAsgs(autoscaling, { Filters: [{ Name: 'tag-key', Values: [clusterTag(target.name)] }] });
  const missing = target.selfManaged.filter((name) => !tagged.some((asg) => asg.AutoScalingGroupName === name));
  return [...tagged, ...(await describeAsgsByName(autoscaling, missing))];
}

async function pagedAsgs(autoscaling: ObserveClients['autoscaling'], input: { AutoScalingGroupNames?: string[]; Filters?: { Name: string; Values: string[] }[] }): Promise<AutoScalingGroup[]> {
  const groups: AutoScalingGroup[] = [];
  let nextToken: string | undefined;
  do {
    const page = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ ...input, MaxRecords: 100, ...(nextToken ? { NextToken: nextToken } : {}) }));
    groups.push(...(page.AutoScalingGroups ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return groups;
}

function toAsg(asg: AutoScalingGroup, kind: AsgObservation['kind'], nodegroup?: string): AsgObservation {
  return {
    name: asg.AutoScalingGroupName ?? '',
    kind,
    ...(nodegroup ? { nodegroup } : {}),
    tags: Object.fromEntries((asg.Tags ?? []).map((tag) => [tag.Key ?? '', { value: tag.Value ?? '', propagate: tag.PropagateAtLaunch ?? false }])),
    availabilityZones: asg.AvailabilityZones ?? [],
    suspendedProcesses: (asg.SuspendedProcesses ?? []).flatMap((process) => (process.ProcessName ? [process.ProcessName] : [])),
    instanceIds: (asg.Instances ?? []).flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : [])),
  };
}

async function describeInstances(ec2: ObserveClients['ec2'], asgNames: readonly string[], instanceIds?: readonly string[]): Promise<InstanceObservation[]> {
  const instances: InstanceObservation[] = [];
  const wanted = new Set(asgNames);
  const batches: Filter[][] = instanceIds
    ? chunk(instanceIds, FILTER_VALUES).map((ids) => [{ Name: 'instance-id', Values: ids }])
    : chunk(asgNames, FILTER_VALUES).map((names) => [{ Name: `tag:${ASG_NAME_TAG}`, Values: names }]);
  for (const filters of batches) {
    let nextToken: string | undefined;
    do {
      // MaxResults 1000 (the largest EC2 allows): the fewest calls for a large fleet.
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: [...filters, { Name: 'instance-state-name', Values: LIVE_STATES }], MaxResults: 1000, ...(nextToken ? { NextToken: nextToken } : {}) }));
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          const tags = tagMap(instance.Tags);
          const asgName = tags[ASG_NAME_TAG];
          if (!asgName || !wanted.has(asgName)) continue;
          instances.push({
            id: instance.InstanceId ?? '',
            asgName,
            tags,
            metadataTags: instance.MetadataOptions?.InstanceMetadataTags === 'enabled',
            ...(instance.Placement?.AvailabilityZone ? { availabilityZone: instance.Placement.AvailabilityZone } : {}),
          });
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return instances;
}

async function describeAttachments(ec2: ObserveClients['ec2'], instanceIds: readonly string[]): Promise<AttachmentObservation[]> {
  const attachments: AttachmentObservation[] = [];
  for (const ids of chunk(instanceIds, FILTER_VALUES)) {
    let nextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: ids }], MaxResults: 500, ...(nextToken ? { NextToken: nextToken } : {}) }));
      for (const volume of page.Volumes ?? []) {
        const instanceId = volume.Attachments?.find((attachment) => attachment.InstanceId !== undefined)?.InstanceId;
        if (instanceId) attachments.push({ id: volume.VolumeId ?? '', kind: 'volume', instanceId, tags: tagMap(volume.Tags) });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    let eniToken: string | undefined;
    do {
      const token = eniToken;
      const page = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: ids }], MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
      for (const eni of page.NetworkInterfaces ?? []) {
        const instanceId = eni.Attachment?.InstanceId;
        if (instanceId) attachments.push({ id: eni.NetworkInterfaceId ?? '', kind: 'network-interface', instanceId, tags: tagMap(eni.TagSet) });
      }
      eniToken = page.NextToken;
    } while (eniToken);
  }
  return attachments;
}

function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}
