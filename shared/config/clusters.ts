import type { ClusterConfig, Config } from './schema.ts';

/**
 * A configured cluster with its place filled in: the Region defaults to the configuration's `region`, and
 * the account is the deployment's own unless the cluster names another.
 *
 * The one meaning of "own account" for every capability: `accountId` is ABSENT. Not `'self'`, not the
 * deployment's ID: a caller that needs a word for it (a lock key, a rate-limit bucket) spells it itself,
 * and the client factory treats an absent account as "no role to assume". A cluster whose `account` is
 * the deployment's own ID resolves to an absent account too when the caller passes `ownAccountId`.
 */
export interface ResolvedCluster {
  name: string;
  region: string;
  /** Another account's ID; absent for the deployment's own account. */
  accountId?: string;
  /** The cluster's own configuration block, as parsed. */
  config: ClusterConfig;
}

/** Where to look for a cluster; each field left out matches any. */
export interface ClusterWhere {
  region?: string | undefined;
  /** The account an event came from (always a 12-digit ID). */
  accountId?: string | undefined;
  /** The deployment's own account ID when known (the Lambda context's, STS'): tells own-account clusters apart. */
  ownAccountId?: string | undefined;
}

export function resolvedCluster(config: Pick<Config, 'region'>, cluster: ClusterConfig, ownAccountId?: string): ResolvedCluster {
  const accountId = cluster.account !== undefined && cluster.account !== ownAccountId ? cluster.account : undefined;
  return { name: cluster.name, region: cluster.region ?? config.region, ...(accountId === undefined ? {} : { accountId }), config: cluster };
}

/** Every configured cluster, or those named, resolved, in configuration order. */
export function resolvedClusters(config: Pick<Config, 'clusters' | 'region'>, names?: readonly string[]): ResolvedCluster[] {
  return config.clusters.filter((cluster) => !names || names.includes(cluster.name)).map((cluster) => resolvedCluster(config, cluster));
}

/**
 * The configured cluster called `name` in `where`, or undefined. An own-account cluster (no `account`)
 * answers for an event's account only when that is the deployment's own, or when the own ID is not known;
 * a cluster configured with the event's account explicitly is preferred over an own-account one of the
 * same name and Region (the schema forbids two of the same account, Region and name).
 */
export function resolveCluster(config: Pick<Config, 'clusters' | 'region'>, name: string, where: ClusterWhere = {}): ResolvedCluster | undefined {
  const candidates = config.clusters.filter((cluster) => cluster.name === name && (where.region === undefined || (cluster.region ?? config.region) === where.region));
  const { accountId, ownAccountId } = where;
  const chosen =
    accountId === undefined
      ? candidates[0]
      : (candidates.find((cluster) => cluster.account === accountId) ??
        candidates.find((cluster) => cluster.account === undefined && (ownAccountId === undefined || ownAccountId === accountId)));
  return chosen ? resolvedCluster(config, chosen, ownAccountId) : undefined;
}
