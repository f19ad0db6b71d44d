import * as z from 'zod';
import { clusterOfLogGroup } from '../log-source.ts';

/**
 * What starts the subscription manager, parsed defensively (CloudTrail request fields vary):
 * - CloudTrail via EventBridge: eks CreateCluster (`requestParameters.name`; older events `clusterName`),
 *   eks UpdateClusterConfig (`requestParameters.name`), logs CreateLogGroup (`requestParameters.logGroupName`);
 * - the schedule (`detail-type: Scheduled Event`): every configured cluster.
 */
export const SubscriptionTriggerSchema = z.looseObject({
  source: z.string(),
  'detail-type': z.string(),
  region: z.string().optional(),
  account: z.string().optional(),
  detail: z
    .looseObject({
      eventName: z.string().optional(),
      errorCode: z.string().optional(),
      requestParameters: z.looseObject({ name: z.string().optional(), clusterName: z.string().optional(), logGroupName: z.string().optional() }).nullish(),
    })
    .optional(),
});
export type SubscriptionTrigger = z.infer<typeof SubscriptionTriggerSchema>;

export type TriggerScope = { kind: 'all' } | { kind: 'cluster'; cluster: string; region?: string | undefined } | { kind: 'ignore'; reason: string };

export function scopeOfTrigger(event: SubscriptionTrigger): TriggerScope {
  if (event['detail-type'] === 'Scheduled Event') return { kind: 'all' };
  const detail = event.detail;
  if (detail?.errorCode) return { kind: 'ignore', reason: `${detail.eventName ?? 'the call'} failed (${detail.errorCode})` };
  const parameters = detail?.requestParameters;
  if (detail?.eventName === 'CreateLogGroup') {
    const cluster = clusterOfLogGroup(decodeURIComponent(parameters?.logGroupName ?? ''));
    return cluster ? { kind: 'cluster', cluster, region: event.region } : { kind: 'ignore', reason: `log group ${parameters?.logGroupName ?? '?'} is not an EKS control-plane log group` };
  }
  const name = parameters?.name ?? parameters?.clusterName;
  if (name) return { kind: 'cluster', cluster: decodeURIComponent(name), region: event.region };
  return { kind: 'ignore', reason: `the event names no cluster (${event.source} ${detail?.eventName ?? event['detail-type']})` };
}
