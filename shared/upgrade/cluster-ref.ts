/** Which cluster a run is about: its name, Region and, when it is another's, account. */
export interface ClusterRef {
  name: string;
  region: string;
  accountId?: string | undefined;
}

/** The input's word for "the deployment's own account", as the client factory and the config schema use it. */
export const OWN_ACCOUNT = 'self';

/**
 * The cluster as the run keeps it: an account that is the deployment's own (by ID, 'self', or omitted) is
 * no account at all, so every way of naming the same cluster gives one lock key and one set of clients.
 */
export function normalizedCluster(cluster: ClusterRef, ownAccountId: string | undefined): ClusterRef {
  const { accountId, ...rest } = cluster;
  return accountId && accountId !== OWN_ACCOUNT && accountId !== ownAccountId ? { ...rest, accountId } : rest;
}
