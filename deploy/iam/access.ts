import { ACCOUNT_CLUSTERS, type Statement } from './statement.ts';

/** New-cluster guard. Keys are serverless.yml function names. */
export const ACCESS_PERMISSIONS: Record<string, Statement[]> = {
  // New clusters have names nobody knows in advance: the account's clusters, not `*`.
  clusterOnboarding: [{ Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:TagResource'], Resource: ACCOUNT_CLUSTERS }],
};

/**
 * Actions of this capability that AWS does not let a policy scope to resources, so they need
 * `"Resource": "*"`; each with the reason. The deployment tests refuse any other mutating action on `*`.
 */
export const ACCESS_UNSCOPABLE: Record<string, string> = {};
