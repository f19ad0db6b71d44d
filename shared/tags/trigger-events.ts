import * as z from 'zod';
import { hashManagedValues, parseManagedRecord } from './managed-record.ts';
import { MANAGED_RECORD_TAG } from './well-known-tags.ts';

/**
 * The events that start the node tag reconciler, parsed at the edge and turned into what to reconcile.
 * Routing is by (source, detail-type); a kind this function does not know is a logged no-op.
 */

/** What one event asks for. */
export type TagsTrigger =
  | { kind: 'full' }
  | { kind: 'asg'; region: string; accountId: string; asgName: string; instanceIds?: string[] }
  | { kind: 'nodegroup'; region: string; accountId: string; cluster: string; nodegroup: string }
  | { kind: 'cluster-drift'; region: string; accountId: string; clusterHint: Record<string, string> }
  | { kind: 'ignore'; reason: string };

const Envelope = z.object({
  'detail-type': z.string(),
  source: z.string(),
  account: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  resources: z.array(z.string()).default([]),
  detail: z.record(z.string(), z.unknown()),
});

// Sample: events/autoscaling-instance-launch-successful.json (Amazon EC2 Auto Scaling User Guide, "Amazon
// EventBridge events": EC2 Instance Launch Successful).
const LaunchDetail = z.object({ AutoScalingGroupName: z.string().min(1), EC2InstanceId: z.string().regex(/^i-[0-9a-f]+$/) });

// "AWS API Call via CloudTrail": requestParameters as CloudTrail records them; some values arrive
// URL-encoded (arn%3Aaws%3A...).
const CloudTrailDetail = z.object({
  eventSource: z.string(),
  eventName: z.string(),
  userIdentity: z.object({ invokedBy: z.string().optional() }).loose().optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
  errorCode: z.string().optional(),
});

// Sample: events/tag-change-on-resource.json (Tagging AWS resources, "Tag Change on Resource" events).
const TagChangeDetail = z.object({
  'changed-tag-keys': z.array(z.string()),
  service: z.string(),
  'resource-type': z.string(),
  tags: z.record(z.string(), z.string()),
});

export const TagsEventSchema = Envelope.superRefine((event, ctx) => {
  const schema = detailSchemaOf(event);
  if (!schema) return;
  const parsed = schema.safeParse(event.detail);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['detail', ...issue.path.map(String)], message: issue.message });
});

export type TagsEvent = z.infer<typeof TagsEventSchema>;

function detailSchemaOf(event: { source: string; 'detail-type': string }) {
  if (event.source === 'aws.autoscaling' && event['detail-type'] === 'EC2 Instance Launch Successful') return LaunchDetail;
  if (event['detail-type'] === 'AWS API Call via CloudTrail') return CloudTrailDetail;
  if (event.source === 'aws.tag' && event['detail-type'] === 'Tag Change on Resource') return TagChangeDetail;
  return undefined;
}

const NODEGROUP_ARN = /^arn:aws[a-z-]*:eks:[^:]+:\d{12}:nodegroup\/([^/]+)\/([^/]+)(\/|$)/;

export function triggerOf(event: TagsEvent): TagsTrigger {
  const where = { region: event.region, accountId: event.account };
  if (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event') return { kind: 'full' };
  if (event.source === 'aws.autoscaling' && event['detail-type'] === 'EC2 Instance Launch Successful') {
    const detail = LaunchDetail.parse(event.detail);
    return { kind: 'asg', ...where, asgName: detail.AutoScalingGroupName, instanceIds: [detail.EC2InstanceId] };
  }
  if (event['detail-type'] === 'AWS API Call via CloudTrail') return cloudTrailTrigger(CloudTrailDetail.parse(event.detail), where);
  if (event.source === 'aws.tag' && event['detail-type'] === 'Tag Change on Resource') return tagChangeTrigger(TagChangeDetail.parse(event.detail), event.resources, where);
  return { kind: 'ignore', reason: `not an event this function handles: ${event.source} "${event['detail-type']}"` };
}

function cloudTrailTrigger(detail: z.infer<typeof CloudTrailDetail>, where: { region: string; accountId: string }): TagsTrigger {
  if (detail.errorCode) return { kind: 'ignore', reason: `${detail.eventName} failed (${detail.errorCode})` };
  const parameters = detail.requestParameters ?? {};
  const text = (key: string) => (typeof parameters[key] === 'string' ? decodeURIComponent(parameters[key]) : undefined);
  if (detail.eventSource === 'autoscaling.amazonaws.com' && detail.eventName === 'CreateAutoScalingGroup') {
    if (detail.userIdentity?.invokedBy !== 'eks-nodegroup.amazonaws.com') return { kind: 'ignore', reason: 'an ASG not created by EKS for a node group: the schedule covers self-managed groups' };
    const asgName = text('autoScalingGroupName');
    return asgName ? { kind: 'asg', ...where, asgName } : { kind: 'ignore', reason: 'CreateAutoScalingGroup without a group name' };
  }
  if (detail.eventSource === 'eks.amazonaws.com' && ['CreateNodegroup', 'UpdateNodegroupConfig'].includes(detail.eventName)) {
    const cluster = text('name') ?? text('clusterName');
    const nodegroup = text('nodegroupName');
    return cluster && nodegroup ? { kind: 'nodegroup', ...where, cluster, nodegroup } : { kind: 'ignore', reason: `${detail.eventName} without cluster and node group names` };
  }
  if (detail.eventSource === 'eks.amazonaws.com' && ['TagResource', 'UntagResource'].includes(detail.eventName)) {
    const match = NODEGROUP_ARN.exec(text('resourceArn') ?? '');
    return match?.[1] && match[2] ? { kind: 'nodegroup', ...where, cluster: match[1], nodegroup: match[2] } : { kind: 'ignore', reason: 'tags changed on an EKS resource that is not a node group' };
  }
  return { kind: 'ignore', reason: `CloudTrail ${detail.eventName} is not handled` };
}

/**
 * Drift repair without reacting to eksops's own writes. The record (`eksops:managed`) lists the keys eksops
 * manages and a hash of their values as eksops's last write left them, written in the same call as those
 * values. So the event's tags (the resource's tags after the change) show drift when a recorded key is gone
 * (eksops never deletes a key its record still lists) or when the recorded keys' values no longer hash to
 * the record's hash (a value edited by hand); after eksops's own write they match, and nothing runs. A
 * record in the earlier format (no hash) still shows deletions only, until eksops's next write adds a hash.
 *
 * Auto Scaling takes at most 25 tags per call, so a larger write arrives in several calls, each with its
 * own event. An intermediate event may see the record and the values out of step and start one extra
 * reconcile; by then or on its own completion the tags match the plan, so that run writes nothing new, and
 * the last call's event matches the hash.
 */
function tagChangeTrigger(detail: z.infer<typeof TagChangeDetail>, resources: readonly string[], where: { region: string; accountId: string }): TagsTrigger {
  const record = parseManagedRecord(detail.tags);
  const deletedManaged = detail['changed-tag-keys'].filter((key) => key !== MANAGED_RECORD_TAG && !(key in detail.tags) && record.keys.has(key));
  const editedManaged = record.hash !== undefined && hashManagedValues(record.keys, detail.tags) !== record.hash;
  if (deletedManaged.length === 0 && !editedManaged) return { kind: 'ignore', reason: 'no key eksops manages was removed or edited (eksops\'s own write, or a change the schedule covers)' };
  const arn = resources[0] ?? '';
  if (detail.service === 'autoscaling' || detail['resource-type'] === 'autoScalingGroup' || detail['resource-type'] === 'auto-scaling-group') {
    const asgName = /autoScalingGroupName\/(.+)$/.exec(arn)?.[1];
    if (asgName) return { kind: 'asg', ...where, asgName };
  }
  if (detail.service === 'ec2' && detail['resource-type'] === 'instance') {
    const asgName = detail.tags['aws:autoscaling:groupName'];
    const instanceId = /instance\/(i-[0-9a-f]+)$/.exec(arn)?.[1];
    if (asgName && instanceId) return { kind: 'asg', ...where, asgName, instanceIds: [instanceId] };
  }
  return { kind: 'cluster-drift', ...where, clusterHint: detail.tags };
}
