import { describe, expect, it } from '@jest/globals';
import { verifyEksToken } from '../../../local/k8s/eks-token-verifier.ts';
import { decodeEksToken, EksTokenFormatError, eksToken, stsHost } from '../../../shared/k8s/eks-token.ts';
import type { Clock } from '../../../shared/time/clock.ts';

const at = (iso: string): Clock => ({ now: () => new Date(iso), sleep: async () => undefined });
const clock = at('2026-03-02T09:00:00Z');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2Vj+session/token==' };
const options = { credentials, region: 'eu-west-1', clusterName: 'prod-eu', clock };

describe('EKS token', () => {
  it('wraps a presigned STS GetCallerIdentity URL as aws eks get-token does', async () => {
    const { token } = await eksToken(options);
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    const url = decodeEksToken(token);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260302/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20260302T090000Z',
      'X-Amz-Expires': '60',
      'X-Amz-Security-Token': credentials.sessionToken,
      // The cluster header is signed, and not hoisted into the query (the authenticator rejects unknown parameters).
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('carries the signature aws eks get-token gives for the same inputs (known answer)', async () => {
    // botocore 1.43.11 generate_presigned_url('get_caller_identity', ExpiresIn=60) with the x-k8s-aws-id header
    // injected before signing, as awscli/customizations/eks/get_token.py does, at 2026-03-02T09:00:00Z.
    const url = decodeEksToken((await eksToken(options)).token);
    expect(url.searchParams.get('X-Amz-Signature')).toBe('5f3aae01382a952b82ca073532974c1c04e164476a8556b821e8005a89f665c0');
  });

  it('is base64url without padding, whatever the URL length', async () => {
    for (const clusterName of ['a', 'ab', 'abc', 'prod-eu-west-1']) {
      const { token } = await eksToken({ ...options, clusterName });
      const body = token.slice('k8s-aws-v1.'.length);
      expect(body).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(body, 'base64url').toString('utf8')).toMatch(/^https:\/\/sts\.eu-west-1\.amazonaws\.com\/\?/);
    }
  });

  it('is signed for this cluster only: an independent SigV4 computation accepts it for prod-eu, not for another name', async () => {
    const { token } = await eksToken(options);
    expect(verifyEksToken(token, { clusterName: 'prod-eu', now: clock.now(), credentials })).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE', signatureChecked: true });
    expect(verifyEksToken(token, { clusterName: 'prod-us', now: clock.now(), credentials })).toEqual({ ok: false, reason: 'the signature does not match a token for cluster prod-us' });
    expect(verifyEksToken(token, { clusterName: 'prod-eu', now: clock.now(), credentials: { ...credentials, secretAccessKey: 'another' } })).toMatchObject({ ok: false });
  });

  it('is stable for a fixed clock and credentials, and changes with the time', async () => {
    const first = await eksToken(options);
    expect((await eksToken(options)).token).toBe(first.token);
    expect((await eksToken({ ...options, credentials: async () => credentials })).token).toBe(first.token);
    expect((await eksToken({ ...options, clock: at('2026-03-02T09:00:01Z') })).token).not.toBe(first.token);
  });

  it('is refreshed after 14 minutes and expires 15 minutes after signing', async () => {
    const { token, refreshAt } = await eksToken(options);
    expect(refreshAt.toISOString()).toBe('2026-03-02T09:14:00.000Z');
    expect(verifyEksToken(token, { clusterName: 'prod-eu', now: new Date('2026-03-02T09:14:59Z'), credentials })).toMatchObject({ ok: true });
    expect(verifyEksToken(token, { clusterName: 'prod-eu', now: new Date('2026-03-02T09:15:01Z'), credentials })).toEqual({ ok: false, reason: 'token signed at 2026-03-02T09:00:00.000Z has expired' });
  });

  it('omits the security token for long-term credentials, and uses the China STS domain there', async () => {
    const url = decodeEksToken((await eksToken({ ...options, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, region: 'cn-north-1' })).token);
    expect(url.host).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
    expect(stsHost('us-gov-west-1')).toBe('sts.us-gov-west-1.amazonaws.com');
  });

  it('rejects what the authenticator rejects', async () => {
    const url = decodeEksToken((await eksToken(options)).token);
    const wrap = (changed: URL) => `k8s-aws-v1.${Buffer.from(changed.toString(), 'utf8').toString('base64url')}`;
    const verdict = (changed: URL) => verifyEksToken(wrap(changed), { clusterName: 'prod-eu', now: clock.now() });
    expect(verdict(url)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE', signatureChecked: false });
    const hoisted = new URL(url);
    hoisted.searchParams.set('x-k8s-aws-id', 'prod-eu');
    expect(verdict(hoisted)).toEqual({ ok: false, reason: 'query parameter x-k8s-aws-id is not allowed' });
    const unsigned = new URL(url);
    unsigned.searchParams.set('X-Amz-SignedHeaders', 'host');
    expect(verdict(unsigned)).toEqual({ ok: false, reason: 'x-k8s-aws-id is not a signed header' });
    const otherHost = new URL(url);
    otherHost.host = 'sts.example.com';
    expect(verdict(otherHost)).toEqual({ ok: false, reason: 'unexpected host sts.example.com' });
    expect(() => decodeEksToken('k8s-aws-v2.abc')).toThrow(EksTokenFormatError);
    expect(() => decodeEksToken(`${wrap(url)}==`)).toThrow('token is not unpadded base64url');
  });
});
