import { resolvedCluster } from '../config/clusters.ts';
import type { Config } from '../config/schema.ts';

/**
 * One EventBridge Scheduler schedule per configured cluster window, starting cluster-upgrade at the
 * window's opening. The input carries `<aws.scheduler.scheduled-time>` (Scheduler's context attribute,
 * replaced by the time the invocation was scheduled for), from which the run computes when the window
 * closes. Scheduler's Step Functions target cannot name the execution; the lock keys on the cluster instead.
 */
export const STATE_MACHINE_LOGICAL_ID = 'ClusterUpgradeStateMachine';
export const SCHEDULER_ROLE_LOGICAL_ID = 'UpgradeSchedulerRole';
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

export interface ScheduleInput {
  cluster: string;
  region: string;
  accountId?: string;
  scheduledTime: string;
  windowMinutes: number;
}

export function scheduleLogicalId(cluster: { name: string; region?: string | undefined; account?: string | undefined }): string {
  const words = [cluster.name, cluster.region ?? '', cluster.account ?? ''].join('-').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `UpgradeWindow${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}`;
}

export function scheduleInput(config: Config, cluster: Config['clusters'][number], scheduledTime = SCHEDULED_TIME): ScheduleInput | undefined {
  if (!cluster.maintenanceWindow) return undefined;
  const place = resolvedCluster(config, cluster);
  return {
    cluster: place.name,
    region: place.region,
    ...(place.accountId === undefined ? {} : { accountId: place.accountId }),
    scheduledTime,
    windowMinutes: cluster.maintenanceWindow.durationMinutes,
  };
}

/** CloudFormation resources: the schedules and the role Scheduler assumes to start executions. Empty when upgrades are off. */
export function upgradeScheduleResources(config: Config): Record<string, object> {
  if (!config.upgrade.enabled) return {};
  const resources: Record<string, object> = {};
  for (const cluster of config.clusters) {
    const input = scheduleInput(config, cluster);
    const window = cluster.maintenanceWindow;
    if (!input || !window) continue;
    resources[scheduleLogicalId(cluster)] = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Description: `eksops: maintenance window of ${cluster.name} (${input.region})`,
        ScheduleExpression: window.schedule,
        ScheduleExpressionTimezone: window.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { Ref: STATE_MACHINE_LOGICAL_ID },
          RoleArn: { 'Fn::GetAtt': [SCHEDULER_ROLE_LOGICAL_ID, 'Arn'] },
          Input: JSON.stringify(input),
          // A start that fails (throttled) is retried for up to an hour: later than that the window is mostly gone.
          RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
        },
      },
    };
  }
  if (Object.keys(resources).length === 0) return {};
  resources[SCHEDULER_ROLE_LOGICAL_ID] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
      },
      Policies: [{ PolicyName: 'start-cluster-upgrade', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['states:StartExecution'], Resource: { Ref: STATE_MACHINE_LOGICAL_ID } }] } }],
    },
  };
  return resources;
}
