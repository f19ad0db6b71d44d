import type { BusEvent } from '../eventbus/bus.ts';
import type { Sandbox } from '../sandbox.ts';

/** What EventBridge Scheduler delivers for a `rate(1 hour)` schedule of serverless.yml. */
export function logsSchedule(sandbox: Sandbox): Record<string, unknown> {
  return {
    version: '0',
    id: `schedule-${sandbox.aws.clock.now().getTime()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: sandbox.aws.here.accountId,
    time: sandbox.aws.clock.now().toISOString(),
    region: sandbox.aws.here.region,
    resources: [],
    detail: {},
  };
}

/** CloudTrail's record of an UpdateClusterConfig call, as EventBridge delivers it. */
export function updateClusterConfigEvent(sandbox: Sandbox, cluster: string): BusEvent {
  const now = sandbox.aws.clock.now().toISOString();
  return {
    version: '0',
    id: `update-cluster-config-${cluster}-${now}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.eks',
    account: sandbox.aws.here.accountId,
    time: now,
    region: sandbox.aws.here.region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventTime: now,
      eventSource: 'eks.amazonaws.com',
      eventName: 'UpdateClusterConfig',
      awsRegion: sandbox.aws.here.region,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${sandbox.aws.here.accountId}:assumed-role/eksops-dev-logSubscriptions/eksops` },
      requestParameters: { name: cluster, logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] } },
    },
  };
}
