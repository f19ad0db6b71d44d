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
import { failure } from '../../support/failure.ts';

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

describe('the fake API server as an object store, through the client (patch, post, getText)', () => {
  let store: FakeKubernetesApi;
  const nodes = ['ip-10-0-1-10', 'ip-10-0-1-11', 'ip-10-0-1-12'].map((name, index) => ({ metadata: { name }, spec: { providerID: `aws:///eu-west-1a/i-0000000000000000${index}` } }));
  const pod = (namespace: string, name: string, nodeName: string, labels: Record<string, string>) => ({ metadata: { namespace, name, labels }, spec: { nodeName } });
  const seededPods = [pod('shop', 'web-1', 'ip-10-0-1-10', { app: 'web' }), pod('shop', 'web-2', 'ip-10-0-1-11', { app: 'web' }), pod('payments', 'ledger-0', 'ip-10-0-1-10', { app: 'ledger' }), pod('kube-system', 'coredns-1', 'ip-10-0-1-12', { k8sApp: 'dns' })];
  const metricsText = '# HELP apiserver_requested_deprecated_apis Gauge of deprecated APIs that have been requested.\n# TYPE apiserver_requested_deprecated_apis gauge\napiserver_requested_deprecated_apis{group="policy",removed_release="1.25",resource="podsecuritypolicies",version="v1beta1"} 1\n';
  const storeClient = () => new KubernetesClient({ clusterName: 'prod-eu', region: 'eu-west-1', endpoint: store.endpoint, certificateAuthorityData: store.certificateAuthorityData, credentials, clock });
  const eviction = (namespace: string, name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } });

  beforeAll(async () => {
    store = await FakeKubernetesApi.start({ clusterName: 'prod-eu', credentials, clock, objects: { nodes, pods: seededPods, deployments: [{ metadata: { namespace: 'shop', name: 'web' }, spec: { replicas: 2 } }], daemonsets: [{ metadata: { namespace: 'kube-system', name: 'aws-node' } }], customResourceDefinitions: [{ metadata: { name: 'ingressclassparams.elbv2.k8s.aws' } }] }, metricsText });
  });
  afterAll(async () => {
    await store?.stop();
  });

  it('lists each kind at its real path, all namespaces or one, with limit/continue paging and a field selector on pods', async () => {
    const names = (items: { metadata: { namespace?: string; name: string } }[]) => items.map((item) => `${item.metadata.namespace ?? ''}/${item.metadata.name}`);
    const listedNodes = await storeClient().list<{ metadata: { name: string }; kind: string }>('/api/v1/nodes', { pageSize: 2 });
    expect(listedNodes.items.map((item) => [item.kind, item.metadata.name])).toEqual(nodes.map((item) => ['Node', item.metadata.name]));
    expect(store.requests.filter((request) => request.path === '/api/v1/nodes').map((request) => request.query.limit)).toEqual(['2', '2']);
    expect(names((await storeClient().list<{ metadata: { namespace: string; name: string } }>('/api/v1/pods', { pageSize: 1 })).items)).toEqual(['kube-system/coredns-1', 'payments/ledger-0', 'shop/web-1', 'shop/web-2']);
    expect(names((await storeClient().list<{ metadata: { namespace: string; name: string } }>('/api/v1/namespaces/shop/pods')).items)).toEqual(['shop/web-1', 'shop/web-2']);
    expect(names((await storeClient().list<{ metadata: { namespace: string; name: string } }>(`/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=ip-10-0-1-10')}`)).items)).toEqual(['payments/ledger-0', 'shop/web-1']);
    expect((await storeClient().list<{ kind: string }>('/apis/apps/v1/deployments')).items).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'shop', name: 'web' }, spec: { replicas: 2 } }]);
    expect((await storeClient().list<{ kind: string }>('/apis/apps/v1/daemonsets')).items.map((item) => item.kind)).toEqual(['DaemonSet']);
    expect((await storeClient().list<{ metadata: { name: string } }>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).items.map((item) => item.metadata.name)).toEqual(['ingressclassparams.elbv2.k8s.aws']);
  });

  it('serves /metrics as text, and answers 404 without metrics', async () => {
    expect(await storeClient().getText('/metrics')).toBe(metricsText);
    expect(store.requests.at(-1)).toMatchObject({ path: '/metrics', status: 200 });
    store.setMetricsText(undefined);
    expect(await failure(storeClient().getText('/metrics'))).toMatchObject({ name: 'KubernetesStatusError', status: 404 });
    store.setMetricsText(metricsText);
  });

  it('cordons a node with a merge patch (and uncordons with a strategic one), and refuses a patch of an unknown node', async () => {
    const patched = await storeClient().patch<{ spec: { unschedulable?: boolean; providerID: string } }>('/api/v1/nodes/ip-10-0-1-10', { spec: { unschedulable: true } });
    expect(patched.spec).toEqual({ providerID: 'aws:///eu-west-1a/i-00000000000000000', unschedulable: true });
    expect((store.objects().nodes as { spec: { unschedulable?: boolean } }[]).map((item) => item.spec.unschedulable === true)).toEqual([true, false, false]);
    await storeClient().patch('/api/v1/nodes/ip-10-0-1-10', { spec: { unschedulable: null } }, { type: 'strategic' });
    expect((store.objects().nodes[0] as { spec: object }).spec).toEqual({ providerID: 'aws:///eu-west-1a/i-00000000000000000' });
    const missing = await failure(storeClient().patch('/api/v1/nodes/ip-10-9-9-9', { spec: { unschedulable: true } }));
    expect(missing).toMatchObject({ name: 'KubernetesStatusError', status: 404, message: expect.stringContaining('404 NotFound to PATCH /api/v1/nodes/ip-10-9-9-9') });
  });

  it('evicts through policy/v1 Eviction: 429 while a budget allows no disruption, else the pod goes and the budget decrements; 404 for a pod already gone', async () => {
    store.setPodDisruptionBudgets([
      podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 1, matchLabels: { app: 'ledger' }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }),
      podDisruptionBudget({ namespace: 'shop', name: 'web', maxUnavailable: 1, matchLabels: { app: 'web' }, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }),
    ]);
    const blocked = await failure(storeClient().post('/api/v1/namespaces/payments/pods/ledger-0/eviction', eviction('payments', 'ledger-0')));
    expect(blocked).toMatchObject({ name: 'KubernetesStatusError', status: 429, reason: 'TooManyRequests', message: expect.stringContaining("Cannot evict pod as it would violate the pod's disruption budget.") });

    expect(await storeClient().post('/api/v1/namespaces/shop/pods/web-1/eviction', eviction('shop', 'web-1'))).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(store.podDisruptionBudgets().find((pdb) => pdb.metadata.name === 'web')?.status).toMatchObject({ disruptionsAllowed: 0, currentHealthy: 1 });
    // The budget is spent now: the second replica is refused.
    expect(await failure(storeClient().post('/api/v1/namespaces/shop/pods/web-2/eviction', eviction('shop', 'web-2')))).toMatchObject({ status: 429 });
    expect(await failure(storeClient().post('/api/v1/namespaces/shop/pods/web-1/eviction', eviction('shop', 'web-1')))).toMatchObject({ status: 404 });
    // A pod no budget selects goes at once.
    await storeClient().post('/api/v1/namespaces/kube-system/pods/coredns-1/eviction', eviction('kube-system', 'coredns-1'));
    expect((store.objects().pods as { metadata: { name: string } }[]).map((item) => item.metadata.name)).toEqual(['ledger-0', 'web-2']);
    expect(await failure(storeClient().post('/api/v1/namespaces/shop/pods/web-2/eviction', { kind: 'Pod' }))).toMatchObject({ status: 400 });
  });

  it('says which write RBAC is missing when the API forbids a write', async () => {
    store.forbid();
    try {
      const error = await failure(storeClient().post('/api/v1/namespaces/shop/pods/web-2/eviction', eviction('shop', 'web-2')));
      expect(error).toBeInstanceOf(KubernetesAccessError);
      expect(error.message).toContain('forbids eksops POST /api/v1/namespaces/shop/pods/web-2/eviction');
      expect((error as KubernetesAccessError).remedy).toContain('create on pods/eviction');
    } finally {
      store.serve();
    }
  });
});
