import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EKSClient } from '@aws-sdk/client-eks';
import { resolveCluster } from '../config/clusters.ts';
import { addDimensionedCounts, logger } from '../middleware/observability.ts';
import type { FunctionDeps } from '../runtime/deps.ts';
import { awaitNodegroupActive } from './await-nodegroup.ts';
import { readRecordKey } from './record-key.ts';
import { type ReconcileResult, reconcile } from './reconcile.ts';
import { countsOf, tagsNotification } from './report.ts';
import { resolveTrigger } from './resolve-trigger.ts';
import { type TagsEvent, type TagsTrigger, triggerOf } from './trigger-events.ts';

export type NodeTagsDeps = Pick<FunctionDeps, 'config' | 'clients' | 'notifier' | 'clock'> & Partial<Pick<FunctionDeps, 'env'>>;

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
  const result = await reconcile(resolved.request, { ...deps, recordKey: await readRecordKey(deps) });
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
  if (trigger.kind !== 'nodegroup') return undefined;
  const cluster = resolveCluster(deps.config, trigger.cluster, { region: trigger.region, accountId: trigger.accountId });
  if (!cluster) return undefined;
  const eks = deps.clients.client(EKSClient, { region: cluster.region, accountId: trigger.accountId });
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
