import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';
import { CLUSTER_ID_HEADER, decodeEksToken, EksTokenFormatError, TOKEN_VALIDITY_MS } from '../../shared/k8s/eks-token.ts';

/**
 * What the EKS authenticator checks of a bearer token before it asks STS (kubernetes-sigs/aws-iam-authenticator
 * pkg/token/token.go, Verify): https, an STS host, path `/`, only Action, Version and X-Amz-* parameters, each once,
 * Action=GetCallerIdentity, x-k8s-aws-id among the signed headers, X-Amz-Expires within 0..900, X-Amz-Date less than
 * 15 minutes old.
 *
 * The cluster name is not in the token: the authenticator proves it by calling STS with `x-k8s-aws-id: <its own
 * cluster>`, and STS accepts the signature only if that is the value that was signed. There is no STS here, so with
 * the signer's credentials (the sandbox's and the tests' are known) the signature is recomputed from scratch, SigV4 by
 * hand with node:crypto, independent of the signer eksops uses. Without credentials the signature and therefore the
 * cluster cannot be verified: only the format is.
 */
export type TokenVerdict = { ok: true; accessKeyId: string; signatureChecked: boolean } | { ok: false; reason: string };

const ALLOWED_PARAMETERS = new Set(['action', 'version', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-security-token', 'x-amz-signature', 'x-amz-signedheaders']);
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** The X-Amz-Signature SigV4 gives a presigned GET of `url` whose signed headers carry `headers`. */
export function presignedSignature(url: URL, headers: Record<string, string>, secretAccessKey: string): string {
  const parameters = [...url.searchParams].filter(([key]) => key !== 'X-Amz-Signature').map(([key, value]) => [uriEncode(key), uriEncode(value)] as const);
  parameters.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders') ?? '';
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = ['GET', url.pathname, parameters.map(([key, value]) => `${key}=${value}`).join('&'), canonicalHeaders, signedHeaders, EMPTY_SHA256].join('\n');
  const [, date = '', region = '', service = ''] = (url.searchParams.get('X-Amz-Credential') ?? '').split('/');
  const stringToSign = ['AWS4-HMAC-SHA256', url.searchParams.get('X-Amz-Date') ?? '', `${date}/${region}/${service}/aws4_request`, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

export function verifyEksToken(token: string, options: { clusterName: string; now: Date; credentials?: AwsCredentialIdentity }): TokenVerdict {
  let url: URL;
  try {
    url = decodeEksToken(token);
  } catch (error) {
    return { ok: false, reason: error instanceof EksTokenFormatError ? error.message : String(error) };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `unexpected scheme ${url.protocol}` };
  if (!STS_HOST.test(url.host)) return { ok: false, reason: `unexpected host ${url.host}` };
  if (url.pathname !== '/') return { ok: false, reason: `unexpected path ${url.pathname}` };
  const seen = new Set<string>();
  for (const [key] of url.searchParams) {
    const lower = key.toLowerCase();
    if (!ALLOWED_PARAMETERS.has(lower)) return { ok: false, reason: `query parameter ${key} is not allowed` };
    if (seen.has(lower)) return { ok: false, reason: `query parameter ${key} appears twice` };
    seen.add(lower);
  }
  const query = (name: string) => url.searchParams.get(name) ?? '';
  if (query('Action') !== 'GetCallerIdentity') return { ok: false, reason: `Action is ${query('Action') || 'missing'}, not GetCallerIdentity` };
  if (!query('X-Amz-SignedHeaders').toLowerCase().split(';').includes(CLUSTER_ID_HEADER)) return { ok: false, reason: `${CLUSTER_ID_HEADER} is not a signed header` };
  const expires = Number(query('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) return { ok: false, reason: `X-Amz-Expires ${query('X-Amz-Expires')} is not within 0..900` };
  const signedAt = parseAmzDate(query('X-Amz-Date'));
  if (!signedAt) return { ok: false, reason: 'X-Amz-Date is missing or malformed' };
  if (options.now.getTime() - signedAt.getTime() > TOKEN_VALIDITY_MS) return { ok: false, reason: `token signed at ${signedAt.toISOString()} has expired` };
  const accessKeyId = query('X-Amz-Credential').split('/')[0] ?? '';
  if (!options.credentials) return { ok: true, accessKeyId, signatureChecked: false };
  if (accessKeyId !== options.credentials.accessKeyId) return { ok: false, reason: `signed with access key ${accessKeyId}, not the known one` };
  const expected = Buffer.from(presignedSignature(url, { host: url.host, [CLUSTER_ID_HEADER]: options.clusterName }, options.credentials.secretAccessKey), 'utf8');
  const given = Buffer.from(query('X-Amz-Signature'), 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: `the signature does not match a token for cluster ${options.clusterName}` };
  return { ok: true, accessKeyId, signatureChecked: true };
}
