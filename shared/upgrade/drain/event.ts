import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';

/**
 * The event that starts a drain, parsed at the edge. Sample (Amazon EC2 Auto Scaling User Guide, "Amazon EventBridge
 * events", EC2 Instance-terminate Lifecycle Action; test/fixtures/events/autoscaling-instance-terminate-lifecycle-action.json):
 *
 *   { "version": "0", "id": "12345678-1234-1234-1234-123456789012",
 *     "detail-type": "EC2 Instance-terminate Lifecycle Action", "source": "aws.autoscaling",
 *     "account": "123456789012", "time": "yyyy-mm-ddThh:mm:ssZ", "region": "us-west-2",
 *     "resources": ["auto-scaling-group-arn"],
 *     "detail": { "LifecycleActionToken": "87654321-4321-4321-4321-210987654321", "AutoScalingGroupName": "my-asg",
 *                 "LifecycleHookName": "my-lifecycle-hook", "EC2InstanceId": "i-1234567890abcdef0",
 *                 "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "NotificationMetadata": "additional-info",
 *                 "Origin": "AutoScalingGroup", "Destination": "EC2" } }
 *
 * Auto Scaling also sends a test notification when a hook is created with a notification target; EventBridge
 * rules only receive the lifecycle action itself.
 */
export const LifecycleActionDetailSchema = z.looseObject({
  LifecycleActionToken: z.string().min(1),
  AutoScalingGroupName: z.string().min(1).max(255),
  LifecycleHookName: z.string().min(1).max(255),
  EC2InstanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/),
  LifecycleTransition: z.literal('autoscaling:EC2_INSTANCE_TERMINATING'),
  NotificationMetadata: z.string().optional(),
});

export const LifecycleActionEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.autoscaling'),
  'detail-type': z.literal('EC2 Instance-terminate Lifecycle Action'),
  account: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  detail: LifecycleActionDetailSchema,
});

export type LifecycleActionEvent = z.infer<typeof LifecycleActionEventSchema>;
