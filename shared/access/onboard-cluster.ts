import { EKSClient } from '@aws-sdk/client-eks';
import { logger, metrics } from '../middleware/observability.ts';
import type { FunctionDeps } from '../runtime/deps.ts';
import { describeCreation, planCreatorTags } from './cluster-creator.ts';
import { readCluster, tagCluster } from './cluster-tags.ts';
import type { CreateClusterEvent } from './create-cluster-event.ts';
import { type CreatorRecordOutcome, creationNotification } from './creation-report.ts';

export type ClusterOnboardingDeps = Pick<FunctionDeps, 'config' | 'clients' | 'notifier'> & Partial<Pick<FunctionDeps, 'env'>>;

export interface ClusterOnboardingResult {
  cluster?: string;
  outcome: CreatorRecordOutcome | 'skipped';
  reason?: string;
}

/**
 * A new cluster: record who created it (a tag on the cluster, since EKS keeps that nowhere visible) and
 * tell Slack. Observe (the event, the cluster's tags) → decide (planCreatorTags) → act (TagResource) → report.
 */
export async function onboardCluster(event: CreateClusterEvent, deps: ClusterOnboardingDeps): Promise<ClusterOnboardingResult> {
  const creation = describeCreation(event);
  if (!creation) return skip('the event names no cluster');
  if (creation.failed) return skip(`CreateCluster failed (${creation.failed.code}): there is no cluster`, creation.clusterName);
  if (!deps.config.access.enabled) return skip('access is disabled in the configuration', creation.clusterName);

  let outcome: CreatorRecordOutcome = 'disabled';
  if (deps.config.access.tagCreator) {
    const eks = deps.clients.client(EKSClient, { region: creation.region, accountId: creation.accountId });
    const cluster = await readCluster(eks, creation.clusterName);
    const tags = planCreatorTags(creation, cluster.tags);
    if (Object.keys(tags).length === 0) outcome = 'already-recorded';
    else if (deps.config.dryRun) outcome = 'dry-run';
    else {
      await tagCluster(eks, cluster.arn ?? '', tags);
      outcome = 'tagged';
    }
  }
  logger.info('new cluster', { cluster: creation.clusterName, creator: creation.creatorArn, outcome });
  metrics.addMetric(outcome === 'tagged' ? 'creators_recorded' : 'creators_not_recorded', 'Count', 1);
  await deps.notifier.send(creationNotification(creation, outcome));
  return { cluster: creation.clusterName, outcome };
}

function skip(reason: string, cluster?: string): ClusterOnboardingResult {
  logger.info('event skipped', { reason, cluster });
  return { outcome: 'skipped', reason, ...(cluster ? { cluster } : {}) };
}
