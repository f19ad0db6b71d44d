import * as z from 'zod';
import { SlackSettingsSchema } from '../notify/settings.ts';
import { SecretRefSchema } from '../secrets/secret-ref.ts';
import { AccountId, ClusterName, IamRoleArn, Region } from './primitives.ts';
import { AccessSchema } from './sections/access.ts';
import { LogsSchema } from './sections/logs.ts';
import { ScanSchema } from './sections/scan.ts';
import { TagsSchema } from './sections/tags.ts';
import { ClusterUpgradeSchema, MaintenanceWindowSchema, UpgradeSchema } from './sections/upgrade.ts';

/**
 * The one source of configuration truth. Every object is strict: an unknown key is an error, so a typo in
 * eksops.config.yml fails validation instead of silently turning a feature off.
 */

export const ClusterSchema = z.strictObject({
  name: ClusterName,
  /** Defaults to the top-level region. */
  region: Region.optional(),
  /** Defaults to the deployment account; another account needs an entry under `accounts`. */
  account: AccountId.optional(),
  /** Tags every node, ASG and volume of the cluster must carry (defaults; a resource's own value wins). */
  requiredTags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  maintenanceWindow: MaintenanceWindowSchema.optional(),
  upgrade: ClusterUpgradeSchema.optional(),
});

export const AccountSchema = z.strictObject({
  id: AccountId,
  /** The role eksops assumes in that account. */
  roleArn: IamRoleArn,
  /** The external ID the role's trust policy requires: a shared secret, so kept in SSM or Secrets Manager. */
  externalId: z
    .unknown()
    .refine((value) => typeof value !== 'string', { message: 'must be a secret reference ({ ssmParameter } or { secretsManager }), not the external ID itself: it is a shared secret' })
    .pipe(SecretRefSchema)
    .optional(),
});

export const ConfigSchema = z
  .strictObject({
    /** Default region of clusters that do not name one. */
    region: Region,
    /** Plan and report only; change nothing in AWS. */
    dryRun: z.boolean().default(false),
    accounts: z.array(AccountSchema).default([]),
    clusters: z.array(ClusterSchema).default([]),
    notify: z.strictObject({ slack: SlackSettingsSchema.optional() }).prefault({}),
    logs: LogsSchema.prefault({}),
    scan: ScanSchema.prefault({}),
    tags: TagsSchema.prefault({}),
    upgrade: UpgradeSchema.prefault({}),
    access: AccessSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const knownAccounts = new Set(config.accounts.map((account) => account.id));
    const seen = new Set<string>();
    config.clusters.forEach((cluster, index) => {
      const key = `${cluster.account ?? 'self'}/${cluster.region ?? config.region}/${cluster.name}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['clusters', index, 'name'], message: `cluster "${cluster.name}" is listed twice in the same account and region` });
      }
      seen.add(key);
      if (cluster.account && !knownAccounts.has(cluster.account)) {
        ctx.addIssue({ code: 'custom', path: ['clusters', index, 'account'], message: `account ${cluster.account} has no entry under accounts (eksops needs a role to assume there)` });
      }
      if (config.upgrade.enabled && !cluster.maintenanceWindow) {
        ctx.addIssue({ code: 'custom', path: ['clusters', index, 'maintenanceWindow'], message: 'upgrades are enabled, so every cluster needs a maintenance window' });
      }
      const approval = cluster.upgrade?.approval ?? config.upgrade.defaults.approval;
      if (config.upgrade.enabled && approval && !config.upgrade.approvals) {
        ctx.addIssue({ code: 'custom', path: ['upgrade', 'approvals'], message: `cluster "${cluster.name}" asks for approval, so upgrade.approvals (the Slack app's signing secret) is required` });
      }
      if (config.upgrade.enabled && approval && !config.notify.slack) {
        ctx.addIssue({ code: 'custom', path: ['notify', 'slack'], message: `cluster "${cluster.name}" asks for approval in Slack, so notify.slack is required` });
      }
    });
    const refreshes = config.upgrade.defaults.refreshSelfManaged || config.clusters.some((cluster) => cluster.upgrade?.refreshSelfManaged);
    if (config.upgrade.enabled && refreshes && config.upgrade.nodeRoleArns.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['upgrade', 'nodeRoleArns'], message: 'refreshSelfManaged is on, so upgrade.nodeRoleArns must name the self-managed nodes\' IAM roles (the only roles eksops may pass to EC2)' });
    }
    for (const [capability, enabled] of [
      ['logs', config.logs.enabled],
      ['tags', config.tags.enabled],
      ['upgrade', config.upgrade.enabled],
    ] as const) {
      if (enabled && config.clusters.length === 0) {
        ctx.addIssue({ code: 'custom', path: [capability, 'enabled'], message: `${capability} is enabled but no cluster is configured` });
      }
    }
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ClusterConfig = z.infer<typeof ClusterSchema>;
export type { Destination } from './sections/logs.ts';

