import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EKSClient } from '@aws-sdk/client-eks';
import { describeError } from '../../errors.ts';
import { logger, metrics } from '../../middleware/observability.ts';
import type { FunctionDeps } from '../../runtime/deps.ts';
import { applyLoggingActions } from './apply.ts';
import { conflictNotification } from './conflict-report.ts';
import { observeClusterLogging } from './observe.ts';
import { type LoggingPlan, planLogging } from './plan.ts';
import { forwarderFor, targetClusters } from './targets.ts';
import { scopeOfTrigger, type SubscriptionTrigger } from './trigger.ts';

export type LogSubscriptionsDeps = Pick<FunctionDeps, 'config' | 'clients' | 'env' | 'notifier'>;

export interface ClusterOutcome extends LoggingPlan {
  region: string;
  applied: boolean;
  error?: string;
}

export interface LogSubscriptionsResult {
  outcome: 'reconciled' | 'skipped';
  reason?: string;
  clusters: ClusterOutcome[];
}

/** Every configured cluster failed, each with its reason: the invocation fails so that Lambda retries it. */
export class NoClusterReconciledError extends Error {
  override readonly name = 'NoClusterReconciledError';
}

/**
 * Keeps every configured cluster's control-plane logging shipped: log group with retention (and KMS key),
 * the configured log types enabled once the cluster is ACTIVE and idle, and the forwarder's subscription
 * filter. Observe → plan (pure) → apply, per cluster; one cluster's failure does not stop the others.
 */
export async function reconcileLogSubscriptions(event: SubscriptionTrigger, deps: LogSubscriptionsDeps): Promise<LogSubscriptionsResult> {
  const logs = deps.config.logs;
  if (!logs.enabled) return { outcome: 'skipped', reason: 'log shipping is disabled in the configuration', clusters: [] };
  const scope = scopeOfTrigger(event);
  if (scope.kind === 'ignore') return { outcome: 'skipped', reason: scope.reason, clusters: [] };
  const targets = targetClusters(scope, deps.config);
  if (targets.length === 0) return { outcome: 'skipped', reason: scope.kind === 'cluster' ? `cluster ${scope.cluster} is not in the configuration` : 'no cluster is configured', clusters: [] };

  const outcomes: ClusterOutcome[] = [];
  for (const place of targets) {
    const name = place.name;
    const target = { region: place.region, ...(place.accountId ? { accountId: place.accountId } : {}) };
    try {
      const eks = deps.clients.client(EKSClient, target);
      const cwl = deps.clients.client(CloudWatchLogsClient, target);
      const snapshot = await observeClusterLogging(name, eks, cwl);
      const forwarder = forwarderFor(place, deps.env.EKSOPS_LOG_FORWARDER_ARN);
      const plan = planLogging(snapshot, { logTypes: logs.logTypes, retentionDays: logs.retentionDays, kmsKeyArn: logs.kmsKeyArn, forwarder, filterName: `eksops-${deps.env.EKSOPS_STAGE ?? 'dev'}` });
      const apply = !deps.config.dryRun && plan.actions.length > 0;
      if (apply) await applyLoggingActions(plan.actions, eks, cwl);
      for (const conflict of plan.conflicts) logger.warn('log subscription conflict', { cluster: name, conflict });
      outcomes.push({ ...plan, region: place.region, applied: apply });
    } catch (error) {
      const described = describeError(error);
      logger.error('cluster logging not reconciled', { cluster: name, failure: described });
      outcomes.push({ cluster: name, region: place.region, actions: [], waiting: [], conflicts: [], applied: false, error: `${described.name}: ${described.message}` });
    }
  }
  const conflicts = outcomes.flatMap((outcome) => outcome.conflicts.map((conflict) => ({ cluster: outcome.cluster, region: outcome.region, conflict })));
  metrics.addMetric('log_subscription_conflicts', 'Count', conflicts.length);
  // Slack hears of a conflict when an event brings it up; the hourly backstop only logs it, or a conflict
  // nobody resolves would be posted every hour.
  if (conflicts.length > 0 && scope.kind === 'cluster') await deps.notifier.send(conflictNotification(conflicts));
  const failed = outcomes.filter((outcome) => outcome.error);
  // Every cluster failed: the invocation fails so that Lambda retries it. When only some did, the others are
  // converged and stay so, and the hourly backstop comes back for the rest.
  if (failed.length > 0 && failed.length === outcomes.length) throw new NoClusterReconciledError(`no cluster reconciled: ${failed.map((outcome) => `${outcome.cluster}: ${outcome.error}`).join('; ')}`);
  return { outcome: 'reconciled', clusters: outcomes };
}
