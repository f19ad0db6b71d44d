import { describe, expect, it } from '@jest/globals';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import { DestinationSchema } from '../../../shared/config/sections/logs.ts';
import { SecretRefSchema } from '../../../shared/secrets/secret-ref.ts';
import { scrubUrl } from '../../../shared/http/scrub.ts';
import { post, classifyStatus } from '../../../shared/logs/destinations/http-post.ts';

const key = { ssmParameter: '/eksops/key' };

describe('security hardening', () => {
  it('refuses userinfo in a destination URL and points at a secret reference', () => {
    const result = DestinationSchema.safeParse({ name: 'h', type: 'http', url: 'https://user:pw@host.example/x' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/secret reference/);
    expect(DestinationSchema.safeParse({ name: 'h', type: 'http', url: 'https://host.example/x' }).success).toBe(true);
  });
  it('refuses a credential in a destination URL\'s query', () => {
    for (const url of ['https://host.example/?api_key=s3cret', 'https://host.example/?X-Amz-Signature=abc', 'https://host.example/?access_token=t']) {
      const result = DestinationSchema.safeParse({ name: 'h', type: 'http', url });
      expect(JSON.stringify(result.error?.issues)).toMatch(/must not carry a credential in its query/);
    }
    expect(DestinationSchema.safeParse({ name: 'h', type: 'loki', url: 'https://loki.example/loki/api/v1/push?org=platform' }).success).toBe(true);
  });
  it('accepts only documented Datadog sites', () => {
    expect(DestinationSchema.safeParse({ name: 'd', type: 'datadog', site: 'evil.example/x#', apiKey: key }).success).toBe(false);
    for (const site of ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'ddog-gov.com']) {
      expect(DestinationSchema.safeParse({ name: 'd', type: 'datadog', site, apiKey: key }).success).toBe(true);
    }
  });
  it('refuses wildcard secret references', () => {
    for (const ref of [{ secretsManager: '*' }, { secretsManager: 'prod/*' }, { secretsManager: 'a?b' }, { ssmParameter: '/prod/*' }]) {
      expect(SecretRefSchema.safeParse(ref).success).toBe(false);
    }
    expect(SecretRefSchema.safeParse({ secretsManager: 'prod/key' }).success).toBe(true);
  });
  it('scrubUrl removes userinfo and query values', () => {
    const out = scrubUrl('failed https://user:pw@host.example/p?api_key=s3cret&x=1 boom');
    expect(out).toBe('failed https://host.example/p?api_key=REDACTED&x=REDACTED boom');
  });
  it('a fetch that throws with a credentialed URL yields a reason without the credentials', async () => {
    const fetch = async (url: string | URL): Promise<Response> => {
      throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${String(url)}`);
    };
    const answer = await post(fetch, { url: 'https://user:pw@host.example/p?api_key=s3cret', headers: {}, body: 'x' }, new AbortController().signal);
    expect('kind' in answer && answer.reason).toBeTruthy();
    const reason = 'kind' in answer ? answer.reason : '';
    expect(reason).not.toContain('pw');
    expect(reason).not.toContain('s3cret');
  });
  it('a non-2xx answer echoing the URL is scrubbed', () => {
    const outcome = classifyStatus({ status: 400, text: 'bad request for https://u:pw@h.example/a?token=t0k' });
    expect(JSON.stringify(outcome)).not.toMatch(/pw|t0k/);
  });
});

describe('settings that would grant more than they name', () => {
  const cluster = { name: 'prod', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', durationMinutes: 120 } };
  const base = { region: 'eu-west-1', clusters: [cluster] };
  const issues = (input: unknown) => {
    const result = ConfigSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('requires the exact OpenSearch domain or collection for SigV4', () => {
    const url = 'https://search.example.com';
    expect(DestinationSchema.safeParse({ name: 's', type: 'opensearch', url, auth: { kind: 'sigv4' } }).success).toBe(false);
    expect(DestinationSchema.safeParse({ name: 's', type: 'opensearch', url, auth: { kind: 'sigv4', resourceArn: 'arn:aws:es:eu-west-1:111122223333:domain/*' } }).success).toBe(false);
    expect(DestinationSchema.safeParse({ name: 's', type: 'opensearch', url, auth: { kind: 'sigv4', service: 'aoss', resourceArn: 'arn:aws:es:eu-west-1:111122223333:domain/logs' } }).success).toBe(false);
    expect(DestinationSchema.safeParse({ name: 's', type: 'opensearch', url, auth: { kind: 'sigv4', resourceArn: 'arn:aws:es:eu-west-1:111122223333:domain/eks-logs' } }).success).toBe(true);
    expect(DestinationSchema.safeParse({ name: 's', type: 'opensearch', url, auth: { kind: 'sigv4', service: 'aoss', resourceArn: 'arn:aws:aoss:eu-west-1:111122223333:collection/abc123' } }).success).toBe(true);
  });

  it('refuses an external ID written in the configuration: it is a shared secret', () => {
    const account = { id: '222233334444', roleArn: 'arn:aws:iam::222233334444:role/eksops' };
    expect(issues({ ...base, accounts: [{ ...account, externalId: 'shared-secret' }] })).toEqual([expect.stringMatching(/^accounts\.0\.externalId: must be a secret reference/)]);
    expect(issues({ ...base, accounts: [{ ...account, externalId: { ssmParameter: '/eksops/external-id' } }] })).toEqual([]);
  });

  it('never lets anyone approve by omission', () => {
    const upgrade = (approvers: unknown) => ({ ...base, notify: { slack: { mode: 'webhook', secret: key } }, upgrade: { enabled: true, defaults: { approval: true }, approvals: { signingSecret: key, ...(approvers === undefined ? {} : { approvers }) } } });
    expect(issues(upgrade([]))).toEqual([expect.stringMatching(/^upgrade\.approvals\.approvers: must list at least one/)]);
    expect(issues(upgrade(undefined))).toEqual([expect.stringMatching(/^upgrade\.approvals\.approvers: must list at least one/)]);
    expect(issues(upgrade('anyone'))).toEqual([]);
    expect(issues(upgrade(['U0123ABCD']))).toEqual([]);
  });

  it('names the node roles an Instance Refresh may pass', () => {
    const refresh = (nodeRoleArns?: string[]) => ({ ...base, upgrade: { enabled: true, ...(nodeRoleArns ? { nodeRoleArns } : {}), defaults: { refreshSelfManaged: true } } });
    expect(issues(refresh())).toEqual([expect.stringMatching(/^upgrade\.nodeRoleArns: refreshSelfManaged is on/)]);
    expect(issues(refresh(['arn:aws:iam::111122223333:role/nodes']))).toEqual([]);
  });
});
