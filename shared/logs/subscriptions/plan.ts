import { eksLogGroupName } from '../log-source.ts';
import type { ClusterLoggingSnapshot, DesiredLogging } from './snapshot.ts';

export type LoggingAction =
  | { kind: 'create-log-group'; logGroup: string; kmsKeyArn?: string }
  | { kind: 'set-retention'; logGroup: string; days: number }
  | { kind: 'associate-kms-key'; logGroup: string; kmsKeyArn: string }
  | { kind: 'enable-log-types'; cluster: string; types: string[] }
  | { kind: 'subscribe'; logGroup: string; filterName: string; destinationArn: string };

export interface LoggingPlan {
  cluster: string;
  actions: LoggingAction[];
  /** Why something that should be done is not done now (it will be on a later event or the schedule). */
  waiting: string[];
  /** What needs a person: eksops will not replace a subscription filter that is not its own. */
  conflicts: string[];
}

const MAX_FILTERS = 2;

/**
 * The difference between what a cluster's logging is and what the configuration wants, as actions. Pure and
 * idempotent: a converged cluster gives an empty plan. Logging types are only ever added (a type someone
 * else enabled stays on); a filter that is not ours is never touched.
 */
export function planLogging(snapshot: ClusterLoggingSnapshot, desired: DesiredLogging): LoggingPlan {
  const plan: LoggingPlan = { cluster: snapshot.cluster, actions: [], waiting: [], conflicts: [] };
  if (snapshot.status === undefined) {
    plan.waiting.push(`cluster ${snapshot.cluster} does not exist`);
    return plan;
  }
  const logGroup = eksLogGroupName(snapshot.cluster);
  // Pre-creating the group sets retention and encryption before EKS writes the first event (EKS itself
  // creates it with "never expire").
  if (!snapshot.logGroup) {
    plan.actions.push({ kind: 'create-log-group', logGroup, ...(desired.kmsKeyArn ? { kmsKeyArn: desired.kmsKeyArn } : {}) });
    plan.actions.push({ kind: 'set-retention', logGroup, days: desired.retentionDays });
  } else {
    if (snapshot.logGroup.retentionInDays !== desired.retentionDays) plan.actions.push({ kind: 'set-retention', logGroup, days: desired.retentionDays });
    if (desired.kmsKeyArn && snapshot.logGroup.kmsKeyId !== desired.kmsKeyArn) plan.actions.push({ kind: 'associate-kms-key', logGroup, kmsKeyArn: desired.kmsKeyArn });
  }

  const missing = desired.logTypes.filter((type) => !snapshot.enabledTypes.includes(type));
  if (missing.length > 0) {
    if (snapshot.status !== 'ACTIVE') plan.waiting.push(`logging waits for the cluster to be ACTIVE (it is ${snapshot.status})`);
    else if (snapshot.updateInProgress) plan.waiting.push(`logging waits for update ${snapshot.updateInProgress} to finish`);
    else plan.actions.push({ kind: 'enable-log-types', cluster: snapshot.cluster, types: missing });
  }

  if ('unavailable' in desired.forwarder) {
    plan.conflicts.push(desired.forwarder.unavailable);
    return plan;
  }
  const forwarderArn = desired.forwarder.arn;
  const ours = snapshot.filters.find((filter) => filter.filterName === desired.filterName);
  const toForwarder = snapshot.filters.find((filter) => filter.destinationArn === forwarderArn);
  if (toForwarder) return plan;
  if (ours) {
    // Our name on another destination: a renamed or redeployed forwarder. Pointing it back is ours to do.
    plan.actions.push({ kind: 'subscribe', logGroup, filterName: desired.filterName, destinationArn: forwarderArn });
  } else if (snapshot.filters.length >= MAX_FILTERS) {
    const names = snapshot.filters.map((filter) => `${filter.filterName} → ${filter.destinationArn}`).join(', ');
    plan.conflicts.push(`${logGroup} already has ${MAX_FILTERS} subscription filters, none of them eksops's (${names}); CloudWatch Logs allows ${MAX_FILTERS}: remove one to let eksops subscribe`);
  } else {
    plan.actions.push({ kind: 'subscribe', logGroup, filterName: desired.filterName, destinationArn: forwarderArn });
  }
  return plan;
}
