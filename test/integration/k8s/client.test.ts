import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeKubernetesApi, OpensslMissingError, podDisruptionBudget } from '../../../local/k8s/fake-api-server.ts';
import {
  KubernetesAccessError,
  KubernetesClient,
  KubernetesEndpointMissingError,
  KubernetesResponseFormatError,
  KubernetesStatusError,
  KubernetesTimeoutError,
  KubernetesTlsError,
  KubernetesUnreachableError,
  listPodDisruptionBudgets,
} from '../../../shared/k8s/client.ts';
import { checkPodDisruptionBudgets } from '../../../shared/upgrade/checks/pod-disruption-budgets.ts';
import { observePodDisruptionBudgets } from '../../../shared/upgrade/observe-pod-disruption-budgets.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

const credentials = { accessKeyId: 'AKIAEKSOPSTEST000001', secretAccessKey: 'eksops-test-secret', sessionToken: 'session+token/==' };
let now = new Date('2026-03-02T09:00:00Z');
const clock: Clock = { now: () => now, sleep: async () => undefined };
const hop = { from: '1.32', to: '1.33', now };

const healthy = (namespace: string, name: string) => podDisruptionBudget({ namespace, name, maxUnavailable: 1, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } });
const seeded = [
  healthy('shop', 'web'),
  healthy('shop', 'api'),
  healthy('kube-system', 'coredns'),
  healthy('monitoring', 'prometheus'),
  podDisruptionBudget({ namespace: 'shop', name: 'cart', minAvailable: 2, status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 } }),
  podDisruptionBudget({ namespace: 'payments', name: 'ledger', maxUnavailable: 0, status: { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 } }),
  podDisruptionBudget({ namespace: 'shop', name: 'legacy', minAvailable: 1, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } }),
];
const keys = (items: { metadata: { namespace: string; name: string } }[]) => items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`);

let api: FakeKubernetesApi;
let otherApi: FakeKubernetesApi;

const client = (overrides: Partial<ConstructorParameters<typeof KubernetesClient>[0]> = {}) =>
  new KubernetesClient({ clusterName: 'prod-eu', region: 'eu-west-1', endpoint: api.endpoint, certificateAuthorityData: api.certificateAuthorityData, credentials, clock, ...overrides });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  [api, otherApi] = await Promise.all([FakeKubernetesApi.start({ clusterName: 'prod-eu', credentials, clock, podDisruptionBudgets: seeded }), FakeKubernetesApi.start({ clusterName: 'other' })]);
});

afterAll(async () => {
  await Promise.all([api?.stop(), otherApi?.stop()]);
});

afterEach(() => {
  api.serve();
  api.slow(0);
  api.requests.length = 0;
  now = new Date('2026-03-02T09:00:00Z');
});

describe('Kubernetes API client against the fake EKS API server', () => {
  it('lists every PDB across pages with limit and continue, in the API server order', async () => {
    const listed = await listPodDisruptionBudgets(client(), { pageSize: 3 });
    expect(listed.truncated).toBe(false);
    expect(keys(listed.items)).toEqual(['kube-system/coredns', 'monitoring/prometheus', 'payments/ledger', 'shop/api', 'shop/cart', 'shop/legacy', 'shop/web']);
    expect(api.requests.map((request) => [request.status, request.query.limit, request.query.continue !== undefined])).toEqual([
      [200, '3', false],
      [200, '3', true],
      [200, '3', true],
    ]);
  });

  it('cuts the list at maxItems and says so; exactly maxItems is not cut', async () => {
    const cut = await listPodDisruptionBudgets(client(), { pageSize: 2, maxItems: 5 });
    expect({ count: cut.items.length, truncated: cut.truncated, limits: api.requests.map((request) => request.query.limit) }).toEqual({ count: 5, truncated: true, limits: ['2', '2', '1'] });
    const exact = await listPodDisruptionBudgets(client(), { pageSize: 3, maxItems: 7 });
    expect({ count: exact.items.length, truncated: exact.truncated }).toEqual({ count: 7, truncated: false });
    expect(await observePodDisruptionBudgets(client(), { maxItems: 2 })).toMatchObject({ truncatedAt: 2, items: [{ name: 'coredns' }, { name: 'prometheus' }] });
  });

  it('turns the PDBs into BLOCK findings for the hop', async () => {
    const findings = checkPodDisruptionBudgets(await observePodDisruptionBudgets(client()), hop);
    expect(findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`)).toEqual(['BLOCK pdb-never-allows-disruption pdb/payments/ledger', 'BLOCK pdb-never-allows-disruption pdb/shop/cart']);
  });

  it('trusts only the cluster CA: another CA fails with a TLS reason before any request is sent', async () => {
    const error = await failure(listPodDisruptionBudgets(client({ certificateAuthorityData: otherApi.certificateAuthorityData })));
    expect(error).toBeInstanceOf(KubernetesTlsError);
    expect((error as KubernetesTlsError).code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    expect(api.requests).toEqual([]);
    expect(() => client({ certificateAuthorityData: Buffer.from('not a certificate').toString('base64') })).toThrow(KubernetesTlsError);
  });

  it('maps 401 (a token not for this cluster, or from an unknown key) to the access error with the access-entry remedy', async () => {
    const error = await failure(listPodDisruptionBudgets(client({ clusterName: 'prod-us' })));
    expect(error).toBeInstanceOf(KubernetesAccessError);
    expect((error as KubernetesAccessError).status).toBe(401);
    expect((error as KubernetesAccessError).remedy).toMatch(/access entry for eksops's role.*AmazonEKSViewPolicy/);
    expect(api.requests.map((request) => request.rejection)).toEqual(['the signature does not match a token for cluster prod-eu']);
    const stranger = await failure(listPodDisruptionBudgets(client({ credentials: { accessKeyId: 'AKIASOMEONEELSE00001', secretAccessKey: 'x' } })));
    expect(stranger).toMatchObject({ name: 'KubernetesAccessError', status: 401 });
  });

  it('maps 403 to the access error naming AmazonEKSViewPolicy or a ClusterRole, and the check warns instead of failing', async () => {
    api.forbid();
    const error = await failure(listPodDisruptionBudgets(client()));
    expect(error).toBeInstanceOf(KubernetesAccessError);
    expect(error.message).toContain('cannot list resource "poddisruptionbudgets" in API group "policy"');
    expect((error as KubernetesAccessError).remedy).toMatch(/AmazonEKSViewPolicy.*ClusterRole allowing get and list on poddisruptionbudgets/);
    const findings = checkPodDisruptionBudgets(await observePodDisruptionBudgets(client()), hop);
    expect(findings.map((finding) => [finding.severity, finding.check, finding.remedy])).toEqual([['WARN', 'pdb-unreadable', (error as KubernetesAccessError).remedy]]);
  });

  it('re-signs its token after 14 minutes, so a token older than 15 minutes is never sent', async () => {
    const reader = client();
    await reader.get('/apis/policy/v1/poddisruptionbudgets', { limit: 1 });
    now = new Date('2026-03-02T09:20:00Z');
    await reader.get('/apis/policy/v1/poddisruptionbudgets', { limit: 1 });
    expect(api.requests.map((request) => request.status)).toEqual([200, 200]);
  });

  it('gives up after its timeout on a slow server', async () => {
    api.slow(3_000);
    const started = Date.now();
    const error = await failure(listPodDisruptionBudgets(client({ timeoutMs: 200 })));
    expect(error).toBeInstanceOf(KubernetesTimeoutError);
    expect(error.message).toBe('the cluster API did not answer GET /apis/policy/v1/poddisruptionbudgets within 200 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports an answer that is not JSON, a list without items, and other statuses with their reason', async () => {
    api.answerWith({ status: 200, contentType: 'text/html', body: '<html>proxy login</html>' });
    expect(await failure(listPodDisruptionBudgets(client()))).toBeInstanceOf(KubernetesResponseFormatError);
    api.answerWith({ status: 200, contentType: 'application/json', body: '{"kind":"Status"}' });
    expect((await failure(listPodDisruptionBudgets(client()))).message).toContain('a list without items');
    api.answerWith({ status: 503, contentType: 'application/json', body: JSON.stringify({ kind: 'Status', reason: 'ServiceUnavailable', message: 'etcd is busy' }) });
    const error = await failure(listPodDisruptionBudgets(client()));
    expect(error).toBeInstanceOf(KubernetesStatusError);
    expect(error).toMatchObject({ status: 503, reason: 'ServiceUnavailable', message: 'the cluster API answered 503 ServiceUnavailable to GET /apis/policy/v1/poddisruptionbudgets: etcd is busy' });
  });

  it('says when the endpoint cannot be reached, or DescribeCluster has none yet', async () => {
    const error = await failure(client({ endpoint: 'https://127.0.0.1:1' }).get('/version'));
    expect(error).toBeInstanceOf(KubernetesUnreachableError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(() => KubernetesClient.forEksCluster({ name: 'new', certificateAuthority: {} }, { region: 'eu-west-1', credentials, clock })).toThrow(KubernetesEndpointMissingError);
    const described = KubernetesClient.forEksCluster({ name: 'prod-eu', endpoint: api.endpoint, certificateAuthority: { data: api.certificateAuthorityData } }, { region: 'eu-west-1', credentials, clock });
    expect((await listPodDisruptionBudgets(described)).items).toHaveLength(seeded.length);
  });

  it('fake server: says clearly when openssl is missing', async () => {
    const error = await failure(FakeKubernetesApi.start({ clusterName: 'x', openssl: '/nonexistent/openssl' }));
    expect(error).toBeInstanceOf(OpensslMissingError);
    expect(error.message).toContain('install openssl');
  });
});

describe('observing the PodDisruptionBudgets of a cluster it cannot connect to', () => {
  it('reports a cluster without an endpoint yet as unreadable, with the reason, instead of throwing', async () => {
    const observation = await observePodDisruptionBudgets(() => KubernetesClient.forEksCluster({ name: 'new', certificateAuthority: {} }, { region: 'eu-west-1', credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' }, clock: new VirtualClock() }));
    expect(observation).toMatchObject({ error: expect.stringMatching(/^KubernetesEndpointMissingError: /) });
  });
});
