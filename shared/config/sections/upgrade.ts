import * as z from 'zod';
import { SecretRefSchema } from '../../secrets/secret-ref.ts';
import { IamRoleArn, KubernetesMinor, SchedulerCron, TimeZone } from '../primitives.ts';

export const MaintenanceWindowSchema = z.strictObject({
  /** When the window opens, e.g. cron(0 2 ? * SUN *). */
  schedule: SchedulerCron,
  timezone: TimeZone.default('UTC'),
  /** How long the window stays open; stages that cannot finish inside it are deferred to the next one. */
  durationMinutes: z.number().int().min(60).max(24 * 60),
});

export const ClusterUpgradeSchema = z.strictObject({
  /** Stop at this version; omitted: follow the newest version EKS offers, one minor at a time. */
  targetVersion: KubernetesMinor.optional(),
  /** Post Approve / Abort buttons to Slack and wait for an answer before the first stage (needs upgrade.approvals). */
  approval: z.boolean().default(false),
  /** No answer within this time (or before the window closes, if sooner) aborts the run. */
  approvalTimeoutMinutes: z.number().int().min(5).max(24 * 60).default(60),
  /** Node group upgraded alone first; the others follow in waves. */
  canaryNodegroup: z.string().min(1).optional(),
  nodegroupMaxConcurrency: z.number().int().min(1).max(20).default(1),
  addonResolveConflicts: z.enum(['NONE', 'OVERWRITE', 'PRESERVE']).default('PRESERVE'),
  /**
   * Read the cluster's Kubernetes API before each hop (PodDisruptionBudgets that would stall node drains).
   * Needs an EKS access entry for eksops's upgrade roles with AmazonEKSViewPolicy, and an endpoint Lambda reaches.
   */
  kubernetesChecks: z.boolean().default(false),
  /** Refresh self-managed Auto Scaling groups onto the EKS-optimized AMI with an Instance Refresh. */
  refreshSelfManaged: z.boolean().default(false),
  /**
   * Control-plane hops one window may carry. One by default: EKS can roll a control plane back one minor within
   * 7 days of an update, and a second hop in the same window gives that up, with no time to notice what the first broke.
   */
  hopsPerWindow: z.number().int().min(1).max(10).default(1),
  /** Hours a new minor runs before the next hop starts (in a later window). EKS refreshes upgrade insights about daily. */
  bakeHours: z.number().int().min(0).max(90 * 24).default(24),
  /**
   * Upgrade insights known to be false positives, by insight id (ListInsights), each with its reason and an
   * expiry: until then the insight does not block; after it, it blocks again and the plan says the override expired.
   */
  insightOverrides: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(128),
        reason: z.string().min(1).max(500),
        expires: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
      }),
    )
    .max(50)
    .default([]),
});

/** How Slack's Approve / Abort answers reach eksops: the function URL of upgradeApproval, signed by Slack. */
export const ApprovalsSchema = z.strictObject({
  /** The Slack app's signing secret (Basic Information → App Credentials); every interaction is verified with it. */
  signingSecret: SecretRefSchema,
  /**
   * Slack user IDs (U…, W…) allowed to answer, at least one; or `anyone`, said explicitly, for anyone who can
   * see the message in the channel (an empty list would say that by omission).
   */
  approvers: z.union([z.literal('anyone'), z.array(z.string().regex(/^[UW][A-Z0-9]{6,20}$/, 'must be a Slack user ID such as U0123ABCD')).min(1, 'must list at least one Slack user ID, or say approvers: anyone').max(200)], {
    error: 'must list at least one Slack user ID (U0123ABCD…), or say approvers: anyone',
  }),
});

export const UpgradeSchema = z.strictObject({
  enabled: z.boolean().default(false),
  approvals: ApprovalsSchema.optional(),
  /**
   * The IAM roles of self-managed nodes (their instance profiles' roles): the only roles eksops may pass to EC2
   * when an Instance Refresh launches nodes. Required when any cluster sets refreshSelfManaged.
   */
  nodeRoleArns: z.array(IamRoleArn).max(50).default([]),
  /**
   * How long the drain of a self-managed node (refreshSelfManaged) waits for its pods to be evicted, PodDisruptionBudgets
   * permitting, before the instance is let go anyway (and Slack told which pods were left). Under the drain
   * function's 900-second timeout and the lifecycle hook's heartbeat.
   */
  drainTimeoutSeconds: z.number().int().min(60).max(780).default(600),
  /** Defaults for every cluster; a cluster's own `upgrade` block overrides field by field. */
  defaults: ClusterUpgradeSchema.prefault({}),
});
