import type { BusEvent } from '../eventbus/bus.ts';
import { sampleEvent } from './sample-events.ts';

/** The events the node tag scenarios publish, built from the AWS documentation samples of events/. */
export function scheduledEvent(where: { accountId: string; region: string }, at: Date): BusEvent {
  return {
    version: '0',
    id: 'b5e9e3d1-6bd9-4c2e-8f8e-0d6d5b1d2a11',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: where.accountId,
    time: at.toISOString(),
    region: where.region,
    resources: [`arn:aws:events:${where.region}:${where.accountId}:rule/eksops-dev-nodeTags-schedule`],
    detail: {},
  } as BusEvent;
}

export function launchEvent(where: { accountId: string; region: string }, asgName: string, instanceId: string): BusEvent {
  const event = sampleEvent('autoscaling-instance-launch-successful.json');
  const detail = event.detail as Record<string, unknown>;
  return { ...event, account: where.accountId, region: where.region, detail: { ...detail, AutoScalingGroupName: asgName, EC2InstanceId: instanceId, Description: `Launching a new EC2 instance: ${instanceId}` } };
}

export function nodegroupTagResourceEvent(where: { accountId: string; region: string }, nodegroupArn: string, tags: Record<string, string>): BusEvent {
  const event = sampleEvent('cloudtrail-eks-create-cluster.json');
  const detail = event.detail as Record<string, unknown>;
  return {
    ...event,
    account: where.accountId,
    region: where.region,
    // CloudTrail records the ARN of a path parameter URL-encoded.
    detail: { ...detail, eventName: 'TagResource', requestParameters: { resourceArn: encodeURIComponent(nodegroupArn), tags }, responseElements: null },
  };
}
