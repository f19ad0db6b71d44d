import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import type { AwsClientFactory } from '../aws/client-factory.ts';
import { resolvedClusters } from '../config/clusters.ts';
import type { Config } from '../config/schema.ts';
import { describeError } from '../errors.ts';
import type { Clock } from '../time/clock.ts';
import { type ActOutcome, applyChanges } from './act.ts';
import { mapBounded } from '../concurrency/map-bounded.ts';
import type { ClusterPlan } from './model.ts';
import { type ClusterTarget, type ObserveScope, observeCluster } from './observe.ts';
import { planCluster } from './plan.ts';
import { tagPolicyOf } from './policy.ts';
import { TokenBucket } from '../concurrency/token-bucket.ts';

export interface ReconcileDeps {
  config: Config;
  clients: AwsClientFactory;
  clock: Clock;
  /** The key that signs and verifies `eksops:managed` records (the stack's tag-record-key secret). */
  recordKey?: string;
}

export interface ReconcileRequest {
  /** Cluster names; all configured clusters when omitted. */
  clusters?: readonly string[];
  scope?: ObserveScope;
  /** Plan only (the CLI's `plan`); `config.dryRun` also forces it. */
  planOnly?: boolean;
}

export interface ClusterRun {
  cluster: string;
  plan?: ClusterPlan;
  act?: ActOutcome;
  /** The cluster could not be observed or written (e.g. AccessDenied): the other clusters still ran. */
  error?: { name: string; message: string };
}

export interface ReconcileResult {
  dryRun: boolean;
  clusters: ClusterRun[];
}

/** Per-API write rates shared by every cluster of one account and Region (EC2 throttles per account and Region). */
class RateLimits {
  readonly #byTarget = new Map<string, { ec2: TokenBucket; autoscaling: TokenBucket }>();
  constructor(
    readonly config: Config,
    readonly clock: Clock,
  ) {}
  /** One pair of buckets per account and Region (EC2's own buckets are per account and Region); `self` is the own account. */
  for(accountId: string | undefined, region: string) {
    const key = `${accountId ?? 'self'}/${region}`;
    let limits = this.#byTarget.get(key);
    if (!limits) {
      limits = {
        ec2: new TokenBucket({ ratePerSecond: this.config.tags.ec2WritesPerSecond, clock: this.clock }),
        autoscaling: new TokenBucket({ ratePerSecond: this.config.tags.autoscalingWritesPerSecond, clock: this.clock }),
      };
      this.#byTarget.set(key, limits);
    }
    return limits;
  }
}

export function clusterTargets(config: Config, names?: readonly string[]): ClusterTarget[] {
  return resolvedClusters(config, names).map((cluster) => ({
    name: cluster.name,
    region: cluster.region,
    ...(cluster.accountId === undefined ? {} : { accountId: cluster.accountId }),
    requiredTags: cluster.config.requiredTags,
    selfManaged: config.tags.selfManagedGroups[cluster.name] ?? [],
  }));
}

/**
 * One reconcile: for each cluster (bounded concurrency), observe → plan → act. A cluster that fails
 * (AccessDenied in its account, say) is reported and does not stop the others.
 */
export async function reconcile(request: ReconcileRequest, deps: ReconcileDeps): Promise<ReconcileResult> {
  const dryRun = deps.config.dryRun || request.planOnly === true;
  const policy = tagPolicyOf(deps.config);
  const limits = new RateLimits(deps.config, deps.clock);
  const targets = clusterTargets(deps.config, request.clusters);
  const clusters = await mapBounded(targets, deps.config.tags.clusterConcurrency, async (target): Promise<ClusterRun> => {
    try {
      const where = { region: target.region, ...(target.accountId === undefined ? {} : { accountId: target.accountId }) };
      const clients = {
        eks: deps.clients.client(EKSClient, where),
        ec2: deps.clients.client(EC2Client, where),
        autoscaling: deps.clients.client(AutoScalingClient, where),
      };
      const observation = await observeCluster(clients, target, { clock: deps.clock, concurrency: deps.config.tags.describeConcurrency, ...(request.scope ? { scope: request.scope } : {}) });
      const plan = planCluster(observation, policy, deps.recordKey);
      if (dryRun || plan.changes.length === 0) return { cluster: target.name, plan };
      const act = await applyChanges(plan.changes, clients, limits.for(target.accountId, target.region));
      return { cluster: target.name, plan, act };
    } catch (error) {
      const described = describeError(error);
      return { cluster: target.name, error: { name: described.name, message: described.message } };
    }
  });
  return { dryRun, clusters };
}
