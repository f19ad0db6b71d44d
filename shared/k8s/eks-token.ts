import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { NodeSha256 } from '../aws/node-sha256.ts';
import type { Clock } from '../time/clock.ts';

/**
 * The bearer token the EKS API server accepts for an IAM principal, as `aws eks get-token` and
 * aws-iam-authenticator make it (aws-cli awscli/customizations/eks/get_token.py; kubernetes-sigs/aws-iam-authenticator
 * pkg/token/token.go). Facts relied on:
 * - token = `k8s-aws-v1.` + base64url *without padding* of a presigned STS `GetCallerIdentity` GET URL
 *   (`base64.RawURLEncoding` in token.go; `urlsafe_b64encode(...).rstrip('=')` in get_token.py);
 * - the request carries the header `x-k8s-aws-id: <cluster name>`, signed (listed in X-Amz-SignedHeaders) but kept a
 *   header: the server's verifier rejects any query parameter outside Action, Version and the X-Amz-* ones, then calls
 *   the URL itself with `x-k8s-aws-id` set to *its own* cluster name, so the signature holds only for that cluster;
 * - X-Amz-Expires is 60: STS ignores it (a presigned GetCallerIdentity URL is valid 15 minutes after X-Amz-Date) and
 *   the verifier accepts 0..900; both tools send 60. Clients treat the token as expiring after 14 minutes;
 * - the host is the regional STS endpoint (the verifier accepts the STS hostnames of the cluster's partition).
 */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** STS API version of GetCallerIdentity. */
export const STS_API_VERSION = '2011-06-15';
/** The X-Amz-Expires both reference tools send (ignored by STS, checked to be 0..900 by the verifier). */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** STS honours a presigned URL this long after X-Amz-Date. */
export const TOKEN_VALIDITY_MS = 15 * 60_000;
/** What clients use (get_token.py: 14 minutes): a minute of margin for clock skew and request time. */
export const TOKEN_REFRESH_AFTER_MS = 14 * 60_000;

export type CredentialsInput = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface EksTokenOptions {
  credentials: CredentialsInput;
  /** The cluster's region: the token is signed for that region's STS endpoint. */
  region: string;
  clusterName: string;
  clock: Clock;
}

export interface EksToken {
  token: string;
  /** When a client should stop using it (14 minutes after signing). */
  refreshAt: Date;
}

/** The regional STS host; China regions live under amazonaws.com.cn. */
export function stsHost(region: string): string {
  return `sts.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

/** RFC 3986 encoding as SigV4 canonicalises it: encodeURIComponent leaves !'()* alone. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The presigned `GetCallerIdentity` URL the token wraps, signed at `signingDate`. */
export async function presignedCallerIdentityUrl(options: Omit<EksTokenOptions, 'clock'> & { signingDate: Date }): Promise<string> {
  const host = stsHost(options.region);
  const credentials = options.credentials;
  const signer = new SignatureV4({ service: 'sts', region: options.region, credentials: typeof credentials === 'function' ? credentials : async () => credentials, sha256: NodeSha256 });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: STS_API_VERSION },
      // Only x-amz-* headers are hoisted into the query by the presigner, so x-k8s-aws-id stays a signed header.
      headers: { host, [CLUSTER_ID_HEADER]: options.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: options.signingDate },
  );
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).filter((one): one is string => typeof one === 'string').map((one) => `${uriEncode(key)}=${uriEncode(one)}`))
    .join('&');
  return `https://${host}/?${query}`;
}

/** A fresh token for one cluster. */
export async function eksToken(options: EksTokenOptions): Promise<EksToken> {
  const signedAt = options.clock.now();
  const url = await presignedCallerIdentityUrl({ credentials: options.credentials, region: options.region, clusterName: options.clusterName, signingDate: signedAt });
  return { token: EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'), refreshAt: new Date(signedAt.getTime() + TOKEN_REFRESH_AFTER_MS) };
}

export class EksTokenFormatError extends Error {
  override readonly name = 'EksTokenFormatError';
}

/** The presigned URL inside a token (Buffer's base64url decoder accepts the unpadded form). */
export function decodeEksToken(token: string): URL {
  if (!token.startsWith(EKS_TOKEN_PREFIX)) throw new EksTokenFormatError(`token does not start with ${EKS_TOKEN_PREFIX}`);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new EksTokenFormatError('token is not unpadded base64url');
  try {
    return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new EksTokenFormatError('token does not wrap a URL');
  }
}
