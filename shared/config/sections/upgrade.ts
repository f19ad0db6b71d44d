import * as z from 'zod';
import { KubernetesMinor, SchedulerCron, TimeZone } from '../primitives.ts';

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
  /** Post Approve / Abort buttons to Slack and wait for an answer before the first stage. */
  approval: z.boolean().default(false),
  approvalTimeoutMinutes: z.number().int().min(5).max(24 * 60).default(60),
  /** Node group upgraded alone first; the others follow in waves. */
  canaryNodegroup: z.string().min(1).optional(),
  nodegroupMaxConcurrency: z.number().int().min(1).max(20).default(1),
  addonResolveConflicts: z.enum(['NONE', 'OVERWRITE', 'PRESERVE']).default('PRESERVE'),
  /** Refresh self-managed Auto Scaling groups onto the EKS-optimized AMI with an Instance Refresh. */
  refreshSelfManaged: z.boolean().default(false),
});

export const UpgradeSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Defaults for every cluster; a cluster's own `upgrade` block overrides field by field. */
  defaults: ClusterUpgradeSchema.prefault({}),
});
