import { type ResolvedCluster, resolvedClusters } from '../../config/clusters.ts';
import type { Config } from '../../config/schema.ts';
import type { DesiredLogging } from './snapshot.ts';
import type { TriggerScope } from './trigger.ts';

/**
 * The configured clusters an event is about: every one for the schedule, else the one it names (in the
 * event's Region when the event has one: two clusters of one name may live in two Regions).
 */
export function targetClusters(scope: Exclude<TriggerScope, { kind: 'ignore' }>, config: Pick<Config, 'clusters' | 'region'>): ResolvedCluster[] {
  if (scope.kind === 'all') return resolvedClusters(config);
  return resolvedClusters(config, [scope.cluster]).filter((place) => scope.region === undefined || place.region === scope.region);
}

/**
 * The forwarder a cluster's subscription filter can point at. `arn:aws:lambda:<region>:<account>:function:<name>`:
 * CloudWatch Logs delivers a subscription only to a Lambda function of the log group's own account and Region,
 * so a cluster elsewhere gets the reason instead of an ARN.
 */
export function forwarderFor(place: ResolvedCluster, forwarderArn: string | undefined): DesiredLogging['forwarder'] {
  const [, , , forwarderRegion, forwarderAccount] = (forwarderArn ?? '').split(':');
  const sameAccount = place.accountId === undefined || place.accountId === forwarderAccount;
  if (forwarderArn && place.region === forwarderRegion && sameAccount) return { arn: forwarderArn };
  if (!forwarderArn) return { unavailable: `the forwarder's ARN (EKSOPS_LOG_FORWARDER_ARN) is not set: cluster ${place.name} cannot be subscribed` };
  return {
    unavailable: `cluster ${place.name} (${place.accountId ?? 'this account'}, ${place.region}) is not in the forwarder's account and region: CloudWatch Logs subscriptions deliver only to a Lambda function of the same account and region`,
  };
}
