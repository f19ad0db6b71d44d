import * as z from 'zod';
import { SlackSettingsSchema } from '../notify/settings.ts';
import { SecretRefSchema } from '../secrets/secret-ref.ts';

/**
 * The one source of configuration truth. Every object is strict: an unknown key is an error, so a typo in
 * eksops.config.yml fails validation instead of silently turning a feature off.
 */

const ClusterName = z
  .string()
  // EKS: 1-100 characters, begins with an alphanumeric, then alphanumerics, hyphens and underscores.
  .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'must be a valid EKS cluster name (1-100 characters: letters, digits, - and _)');

const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID');
const KubernetesMinor = z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as 1.34');
const IamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/, 'must be an IAM role ARN');

const TimeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Paris' },
);

// EventBridge Scheduler cron: six fields, minutes hours day-of-month month day-of-week year.
const SchedulerCron = z.string().regex(/^cron\((\S+\s+){5}\S+\)$/, 'must be an EventBridge Scheduler cron expression: cron(minutes hours day-of-month month day-of-week year)');
const RateOrCron = z
  .string()
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\((\S+\s+){5}\S+\))$/, 'must be rate(N minutes|hours|days) or a six-field cron(...) expression');

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
  externalId: z.string().min(2).max(1224).optional(),
});

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const LogType = z.enum(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);

const DestinationRouting = {
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and -, starting with a letter'),
  /** Send only these clusters (default: all). */
  clusters: z.array(ClusterName).min(1).optional(),
  /** Send only these log types (default: all). */
  logTypes: z.array(LogType).min(1).optional(),
};

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const DestinationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('http'),
    url: HttpUrl,
    /** Sent as the Authorization header value. */
    authorization: SecretRefSchema.optional(),
    gzip: z.boolean().default(true),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('splunk'),
    url: HttpUrl,
    token: SecretRefSchema,
    index: z.string().min(1).optional(),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('opensearch'),
    url: HttpUrl,
    index: z.string().min(1).default('eks-logs'),
    auth: z.union([
      z.strictObject({ kind: z.literal('basic'), username: z.string().min(1), password: SecretRefSchema }),
      z.strictObject({ kind: z.literal('sigv4'), service: z.enum(['es', 'aoss']).default('es') }),
    ]),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('loki'),
    url: HttpUrl,
    tenant: z.string().min(1).optional(),
    authorization: SecretRefSchema.optional(),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('datadog'),
    site: z.string().default('datadoghq.com'),
    apiKey: SecretRefSchema,
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    prefix: z.string().default(''),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('firehose'),
    deliveryStream: z.string().min(1).max(64),
  }),
]);

const DropRuleSchema = z.strictObject({
  logTypes: z.array(LogType).min(1).optional(),
  verbs: z.array(z.string().min(1)).min(1).optional(),
  /** Glob on the user name: `system:node:*`. */
  users: z.array(z.string().min(1)).min(1).optional(),
  namespaces: z.array(z.string().min(1)).min(1).optional(),
  resources: z.array(z.string().min(1)).min(1).optional(),
  /** A regular expression matched against the raw message. */
  messagePattern: z
    .string()
    .refine((source) => isValidRegExp(source), { message: 'must be a valid regular expression' })
    .optional(),
});

export const LogsSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    logTypes: z.array(LogType).min(1).default(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']),
    retentionDays: z
      .number()
      .int()
      // The values CloudWatch Logs PutRetentionPolicy accepts.
      .refine((days) => RETENTION_DAYS.includes(days), { message: `must be one of ${RETENTION_DAYS.join(', ')}` })
      .default(30),
    kmsKeyArn: z.string().startsWith('arn:').optional(),
    destinations: z.array(DestinationSchema).default([]),
    drop: z.array(DropRuleSchema).default([]),
    redaction: z
      .strictObject({
        enabled: z.boolean().default(true),
        patterns: z
          .array(z.string().refine((source) => isValidRegExp(source), { message: 'must be a valid regular expression' }))
          .default([]),
      })
      .prefault({}),
    replaySchedule: RateOrCron.optional(),
  })
  .superRefine((logs, ctx) => {
    if (logs.enabled && logs.destinations.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['destinations'], message: 'log shipping is enabled but no destination is configured' });
    }
    const seen = new Set<string>();
    logs.destinations.forEach((destination, index) => {
      if (seen.has(destination.name)) {
        ctx.addIssue({ code: 'custom', path: ['destinations', index, 'name'], message: `duplicate destination name "${destination.name}"` });
      }
      seen.add(destination.name);
    });
  });

const Severity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']);

export const ScanSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Repository name globs to scan (default: every repository). */
  repositories: z.array(z.string().min(1)).min(1).default(['*']),
  policy: z
    .strictObject({
      /** The verdict fails when a finding at or above this severity is present. */
      failOn: Severity.default('HIGH'),
      /** Findings to ignore, by vulnerability ID, each with the reason a reviewer gave. */
      ignore: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().min(1), until: z.iso.date().optional() })).default([]),
      secrets: z.enum(['fail', 'warn', 'off']).default('fail'),
      /** Image configuration checks (root user, no healthcheck …). */
      configuration: z.enum(['fail', 'warn', 'off']).default('warn'),
    })
    .prefault({}),
});

export const TagsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  schedule: RateOrCron.default('rate(1 hour)'),
  /** Add the cluster-autoscaler auto-discovery tags to node group ASGs. */
  autoscalerDiscovery: z.boolean().default(true),
  /** Node-group tag keys copied to ASGs, instances and volumes (globs). Default: all but those denied. */
  allow: z.array(z.string().min(1)).default(['*']),
  deny: z.array(z.string().min(1)).default([]),
});

export const UpgradeSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Defaults for every cluster; a cluster's own `upgrade` block overrides field by field. */
  defaults: ClusterUpgradeSchema.prefault({}),
});

export const AccessSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The IAM role kept as cluster admin on every cluster (an EKS access entry), for break-glass use. */
  breakGlassRoleArn: IamRoleArn.optional(),
  /** Tag each new cluster with the principal that created it. */
  tagCreator: z.boolean().default(true),
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
    });
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
export type Destination = z.infer<typeof DestinationSchema>;

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
