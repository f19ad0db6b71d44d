import * as z from 'zod';
import { ClusterName, RateOrCron } from '../primitives.ts';

// Auto Scaling group names: 1-255 characters, no colon (they appear in ARNs after `autoScalingGroupName/`).
const AsgName = z.string().regex(/^[^:]{1,255}$/, 'must be an Auto Scaling group name (1-255 characters, no ":")');
const TagKeyGlob = z.string().min(1).max(128);

export const TagsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Full reconcile of every cluster; events handle the rest in between. */
  schedule: RateOrCron.default('rate(1 hour)'),
  /** Add the cluster-autoscaler auto-discovery tags to node group ASGs. */
  autoscalerDiscovery: z.boolean().default(true),
  /** Node-group tag keys copied to ASGs, instances and volumes (globs). Default: all but those denied. */
  allow: z.array(TagKeyGlob).default(['*']),
  deny: z.array(TagKeyGlob).default([]),
  /**
   * A key a resource carried before eksops first wrote it is the user's. `keep`: left as it is and reported;
   * `overwrite`: eksops writes its value but never records the key, so it never deletes it.
   */
  userValues: z.enum(['keep', 'overwrite']).default('keep'),
  /** Self-managed ASGs per cluster, besides those tagged kubernetes.io/cluster/<cluster>. */
  selfManagedGroups: z.record(ClusterName, z.array(AsgName).max(500)).default({}),
  /** Write pace per account and Region. EC2 refills its CreateTags/DeleteTags bucket at about 10/s. */
  ec2WritesPerSecond: z.number().positive().max(100).default(5),
  autoscalingWritesPerSecond: z.number().positive().max(50).default(2),
  /** Clusters reconciled at once, and DescribeNodegroup calls in flight per cluster. */
  clusterConcurrency: z.int().min(1).max(16).default(4),
  describeConcurrency: z.int().min(1).max(16).default(4),
  /** Resources listed in the Slack summary; the rest are counted. */
  reportResources: z.int().min(0).max(50).default(10),
});
