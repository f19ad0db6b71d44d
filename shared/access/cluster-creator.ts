import type { CreateClusterEvent } from './create-cluster-event.ts';

/** Who created a cluster, as CloudTrail recorded it. EKS itself keeps this nowhere visible. */
export interface ClusterCreation {
  clusterName: string;
  accountId: string;
  region: string;
  version: string | undefined;
  createdAt: string;
  /** The principal a person recognises: the role behind an assumed-role session, the IAM user, or root. */
  creatorArn: string;
  /** The session (often a person's e-mail for SSO) when the creator assumed a role. */
  creatorSession: string | undefined;
  identityType: string;
  sourceIp: string | undefined;
  failed: { code: string; message: string | undefined } | undefined;
}

export const CREATED_BY_TAG = 'eksops.io/created-by';
export const CREATED_BY_SESSION_TAG = 'eksops.io/created-by-session';
export const CREATED_AT_TAG = 'eksops.io/created-at';

function decode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function describeCreation(event: CreateClusterEvent): ClusterCreation | undefined {
  const { detail } = event;
  const clusterName = decode(
    detail.requestParameters?.name ??
      detail.requestParameters?.clusterName ??
      detail.responseElements?.cluster?.name ??
      detail.responseElements?.cluster?.clusterName,
  );
  if (!clusterName) return undefined;
  const identity = detail.userIdentity;
  const issuer = identity.sessionContext?.sessionIssuer;
  const assumedRole = identity.type === 'AssumedRole';
  const arn = decode(assumedRole ? (issuer?.arn ?? identity.arn) : identity.arn) ?? identity.principalId ?? 'unknown';
  return {
    clusterName,
    accountId: event.account,
    region: event.region,
    version: detail.responseElements?.cluster?.version,
    createdAt: detail.eventTime,
    creatorArn: arn,
    creatorSession: assumedRole ? decode(identity.arn?.split('/').slice(2).join('/')) : undefined,
    identityType: identity.type ?? 'unknown',
    sourceIp: detail.sourceIPAddress,
    failed: detail.errorCode ? { code: detail.errorCode, message: detail.errorMessage } : undefined,
  };
}

/**
 * The tags that record the creator on the cluster. Idempotent: a cluster that already names its creator
 * keeps it (a replayed or duplicated event never rewrites history). EKS tag values allow at most 256
 * characters of letters, digits, spaces and `+ - = . _ : / @`; anything else becomes `_`.
 */
export function planCreatorTags(creation: ClusterCreation, existingTags: Readonly<Record<string, string>>): Record<string, string> {
  if (existingTags[CREATED_BY_TAG] !== undefined) return {};
  return {
    [CREATED_BY_TAG]: toTagValue(creation.creatorArn),
    ...(creation.creatorSession ? { [CREATED_BY_SESSION_TAG]: toTagValue(creation.creatorSession) } : {}),
    [CREATED_AT_TAG]: toTagValue(creation.createdAt),
  };
}

function toTagValue(text: string): string {
  return text.replace(/[^\p{L}\p{N} +\-=._:/@]/gu, '_').slice(0, 256);
}
