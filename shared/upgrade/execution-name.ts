import { createHash } from 'node:crypto';

/** Step Functions execution names: 1-80 characters (StartExecution `name`), no whitespace, colons or the like. */
export const MAX_EXECUTION_NAME = 80;
const HASH_LENGTH = 8;

export interface ExecutionIdentity {
  cluster: string;
  opensAt: Date;
  region?: string | undefined;
  accountId?: string | undefined;
}

/**
 * `prod-eu-20260302T0900Z`: the cluster and its window's opening. EKS allows 100-character cluster names,
 * Step Functions 80-character execution names: a name that does not fit keeps a readable prefix of the
 * cluster and ends with a short hash of the whole identity (cluster, account, region, time), so two clusters
 * sharing their first characters still get different names.
 */
export function executionName(clusterOrIdentity: string | ExecutionIdentity, opensAt?: Date): string {
  const identity = typeof clusterOrIdentity === 'string' ? { cluster: clusterOrIdentity, opensAt: opensAt ?? new Date() } : clusterOrIdentity;
  const time = `${identity.opensAt.toISOString().replace(/[-:]/g, '').slice(0, 13)}Z`;
  // EKS names are [0-9A-Za-z][A-Za-z0-9-_]*, all allowed; anything else is replaced, never passed on.
  const cluster = identity.cluster.replace(/[^A-Za-z0-9_-]/g, '-');
  const plain = `${cluster}-${time}`;
  if (plain.length <= MAX_EXECUTION_NAME && cluster === identity.cluster) return plain;
  const hash = createHash('sha256')
    .update(JSON.stringify([identity.cluster, identity.accountId ?? 'self', identity.region ?? '', identity.opensAt.toISOString()]))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const prefix = cluster.slice(0, MAX_EXECUTION_NAME - time.length - HASH_LENGTH - 2);
  return `${prefix}-${hash}-${time}`;
}
