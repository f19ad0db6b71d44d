import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EKSClient } from '@aws-sdk/client-eks';
import { addDimensionedCounts, logger } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';
import { awaitNodegroupActive } from '../../shared/tags/await-nodegroup.ts';
import { type ReconcileResult, reconcile } from '../../shared/tags/reconcile.ts';
import { countsOf, tagsNotification } from '../../shared/tags/report.ts';
import { secretReaderFor } from '../../shared/secrets/secret-reader.ts';
import { resolveTrigger } from '../../shared/tags/resolve-trigger.ts';
import { type TagsEvent, TagsEventSchema, type TagsTrigger, triggerOf } from '../../shared/tags/trigger-events.ts';

export type NodeTagsDeps = Pick<FunctionDeps, 'config' | 'clients' | 'notifier' | 'clock'> & Partial<Pick<FunctionDeps, 'env'>>;

/** The env var naming the Secrets Manager secret (ARN) whose value signs the `eksops:managed` records. */
export const RECORD_KEY_SECRET_ENV = 'EKSOPS_TAG_RECORD_KEY_SECRET';

// The secret reader caches the value (5 minutes): warm invocations do not call Secrets Manager again.
async function recordKeyOf(deps: NodeTagsDeps): Promise<string> {
  const secret = deps.env?.[RECORD_KEY_SECRET_ENV] ?? process.env[RECORD_KEY_SECRET_ENV];
  if (!secret) throw new Error(`${RECORD_KEY_SECRET_ENV} is not set: without the record key eksops cannot tell its own records from forged ones`);
  return secretReaderFor(deps.clients).read({ secretsManager: secret });
}

// Node group creations and config updates take minutes; the function's 15-minute timeout leaves room to
// wait up to 10 of them, polling every 30 s (DescribeNodegroup is cheap and well within EKS's rate).
const NODEGROUP_WAIT = { maxWaitMs: 10 * 60_000, pollMs: 30_000 };

export type NodeTagsResult = { outcome: 'skipped'; reason: string } | { outcome: 'reconciled'; dryRun: boolean; clusters: { cluster: string; changed: number; lints: number; error?: string }[] };

/**
 * Node tags: one event (the schedule, an ASG launch, a node group change, a tag change) → which part of
 * which cluster → observe → plan → act → report.
 */
export async function reconcileNodeTags(event: TagsEvent, deps: NodeTagsDeps): Promise<NodeTagsResult> {
  if (!deps.config.tags.enabled) return skip('tags is disabled in the configuration');
  const trigger = triggerOf(event);
  const status = await awaitActive(trigger, deps);
  if (status === 'GONE') return skip('the node group no longer exists');
  const resolved = await resolveTrigger(trigger, deps.config, (where) => deps.clients.client(AutoScalingClient, { region: where.region, accountId: where.accountId }));
  if ('skip' in resolved) return skip(resolved.skip);
  const result = await reconcile(resolved.request, { ...deps, recordKey: await recordKeyOf(deps) });
  report(result);
  const notification = tagsNotification(result, deps.config.tags.reportResources);
  if (notification) await deps.notifier.send(notification);
  return {
    outcome: 'reconciled',
    dryRun: result.dryRun,
    clusters: result.clusters.map((run) => ({ cluster: run.cluster, changed: run.plan?.changes.length ?? 0, lints: run.plan?.lints.length ?? 0, ...(run.error ? { error: run.error.name } : {}) })),
  };
}

/** For node group events: its labels, taints and ASG are final once it is ACTIVE. */
async function awaitActive(trigger: TagsTrigger, deps: NodeTagsDeps): Promise<string | undefined> {
  if (trigger.kind !== 'nodegroup' || !deps.config.clusters.some((cluster) => cluster.name === trigger.cluster)) return undefined;
  const eks = deps.clients.client(EKSClient, { region: trigger.region, accountId: trigger.accountId });
  return awaitNodegroupActive(eks, trigger.cluster, trigger.nodegroup, { clock: deps.clock, ...NODEGROUP_WAIT });
}

function report(result: ReconcileResult): void {
  for (const run of result.clusters) {
    const counts = countsOf(run);
    logger.info('node tags reconciled', { ...counts, dryRun: result.dryRun, findings: run.plan?.findings.slice(0, 20), error: run.error });
    addDimensionedCounts({ name: 'cluster', value: run.cluster }, { tags_resources_changed: counts.resourcesChanged, tags_lints: counts.lints, tags_cluster_failures: counts.failed ? 1 : 0 });
  }
}

function skip(reason: string): NodeTagsResult {
  logger.info('event skipped', { reason });
  return { outcome: 'skipped', reason };
}

export function makeHandler(deps: NodeTagsDeps) {
  return eksopsHandler({ schema: TagsEventSchema, correlationIdPath: 'id' }, (event) => reconcileNodeTags(event, deps));
}
