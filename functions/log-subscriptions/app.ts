import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EKSClient } from '@aws-sdk/client-eks';
import { describeError } from '../../shared/middleware/errors.ts';
import { applyLoggingActions } from '../../shared/logs/subscriptions/apply.ts';
import { conflictNotification } from '../../shared/logs/subscriptions/conflict-report.ts';
import { observeClusterLogging } from '../../shared/logs/subscriptions/observe.ts';
import { type LoggingPlan, planLogging } from '../../shared/logs/subscriptions/plan.ts';
import { scopeOfTrigger, type SubscriptionTrigger, SubscriptionTriggerSchema } from '../../shared/logs/subscriptions/trigger.ts';
import { logger, metrics } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';

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
  const forwarderArn = deps.env.EKSOPS_LOG_FORWARDER_ARN ?? '';
  const [, , , forwarderRegion, forwarderAccount] = forwarderArn.split(':');
  const targets = deps.config.clusters.filter((cluster) => scope.kind === 'all' || (cluster.name === scope.cluster && (scope.region === undefined || (cluster.region ?? deps.config.region) === scope.region)));
  if (targets.length === 0) return { outcome: 'skipped', reason: scope.kind === 'cluster' ? `cluster ${scope.cluster} is not in the configuration` : 'no cluster is configured', clusters: [] };

  const outcomes: ClusterOutcome[] = [];
  for (const cluster of targets) {
    const region = cluster.region ?? deps.config.region;
    const target = { region, ...(cluster.account ? { accountId: cluster.account } : {}) };
    const sameAccount = !cluster.account || cluster.account === forwarderAccount;
    const forwarder = forwarderArn && region === forwarderRegion && sameAccount ? { arn: forwarderArn } : { unavailable: `cluster ${cluster.name} (${cluster.account ?? 'this account'}, ${region}) is not in the forwarder's account and region: CloudWatch Logs subscriptions deliver only to a Lambda function of the same account and region` };
    try {
      const eks = deps.clients.client(EKSClient, target);
      const cwl = deps.clients.client(CloudWatchLogsClient, target);
      const snapshot = await observeClusterLogging(cluster.name, eks, cwl);
      const plan = planLogging(snapshot, { logTypes: logs.logTypes, retentionDays: logs.retentionDays, kmsKeyArn: logs.kmsKeyArn, forwarder, filterName: `eksops-${deps.env.EKSOPS_STAGE ?? 'dev'}` });
      const apply = !deps.config.dryRun && plan.actions.length > 0;
      if (apply) await applyLoggingActions(plan.actions, eks, cwl);
      for (const conflict of plan.conflicts) logger.warn('log subscription conflict', { cluster: cluster.name, conflict });
      outcomes.push({ ...plan, region, applied: apply });
    } catch (error) {
      const described = describeError(error);
      logger.error('cluster logging not reconciled', { cluster: cluster.name, failure: described });
      outcomes.push({ cluster: cluster.name, region, actions: [], waiting: [], conflicts: [], applied: false, error: `${described.name}: ${described.message}` });
    }
  }
  const conflicts = outcomes.flatMap((outcome) => outcome.conflicts.map((conflict) => ({ cluster: outcome.cluster, region: outcome.region, conflict })));
  metrics.addMetric('log_subscription_conflicts', 'Count', conflicts.length);
  // Slack hears of a conflict when an event brings it up; the hourly backstop only logs it, or a conflict
  // nobody resolves would be posted every hour.
  if (conflicts.length > 0 && scope.kind === 'cluster') await deps.notifier.send(conflictNotification(conflicts));
  const failed = outcomes.filter((outcome) => outcome.error);
  // A transient failure on one cluster fails the invocation so that Lambda retries it; the others are converged and stay so.
  if (failed.length > 0 && failed.length === outcomes.length) throw new Error(`no cluster reconciled: ${failed.map((outcome) => `${outcome.cluster}: ${outcome.error}`).join('; ')}`);
  return { outcome: 'reconciled', clusters: outcomes };
}

export function makeHandler(deps: LogSubscriptionsDeps) {
  return eksopsHandler({ schema: SubscriptionTriggerSchema, correlationIdPath: 'id' }, (event) => reconcileLogSubscriptions(event, deps));
}
