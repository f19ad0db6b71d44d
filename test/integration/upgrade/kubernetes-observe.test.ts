import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { EC2Client } from '@aws-sdk/client-ec2';
import { FakeKubernetesApi } from '../../../local/k8s/fake-api-server.ts';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { SandboxEc2 } from '../../../local/account/services/ec2.ts';
import { KubernetesClient } from '../../../shared/k8s/client.ts';
import { checkControllers } from '../../../shared/upgrade/checks/controllers.ts';
import { checkKubernetesComponents } from '../../../shared/upgrade/checks/kubernetes-components.ts';
import { checkNodeSkew } from '../../../shared/upgrade/checks/node-skew.ts';
import { observeUnmanagedCapacity } from '../../../shared/upgrade/observe-capacity.ts';
import { observeKubernetes } from '../../../shared/upgrade/observe-kubernetes.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { healthyCluster } from '../../unit/upgrade/snapshot-fixture.ts';

/**
 * The Kubernetes-side pre-flight against the loopback fake EKS API server (HTTPS with its own CA, tokens verified
 * against the signer's credentials): nodes, kube-system components and controllers read with paging, /metrics as
 * text, each part on its own; and the EC2 read for Karpenter instances against the sandbox's in-memory EC2.
 */
const credentials = { accessKeyId: 'AKIAEKSOPSTEST000002', secretAccessKey: 'eksops-test-secret', sessionToken: 'session+token/==' };
const now = new Date('2026-03-02T09:00:00Z');
const clock: Clock = { now: () => now, sleep: async () => undefined };
const hop = { from: '1.32', to: '1.33', now };
const ECR = '602401143452.dkr.ecr.eu-west-1.amazonaws.com';
const summary = (findings: { severity: string; check: string; resource: string }[]) => findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`);

const node = (name: string, kubeletVersion: string, labels: Record<string, string>) => ({ metadata: { name, labels }, spec: {}, status: { nodeInfo: { kubeletVersion, osImage: 'Amazon Linux 2023' } } });
const workload = (namespace: string, name: string, containers: { name: string; image: string }[]) => ({ metadata: { namespace, name }, spec: { template: { spec: { containers } } } });

const objects = {
  nodes: [
    node('fargate-ip-10-0-1-10.eu-west-1.compute.internal', 'v1.29.15-eks-473151a', { 'eks.amazonaws.com/compute-type': 'fargate' }),
    node('fargate-ip-10-0-1-11.eu-west-1.compute.internal', 'v1.31.4-eks-aeac579', { 'eks.amazonaws.com/compute-type': 'fargate' }),
    node('i-0karpenter1', 'v1.32.1-eks-5d632ec', { 'karpenter.sh/nodepool': 'default' }),
    node('i-0auto1', 'v1.32.3-eks-473151a', { 'eks.amazonaws.com/compute-type': 'auto', 'karpenter.sh/nodepool': 'general-purpose' }),
    node('ip-10-0-3-4.eu-west-1.compute.internal', 'v1.32.0-eks-aeac579', { 'eks.amazonaws.com/nodegroup': 'system' }),
  ],
  deployments: [
    workload('kube-system', 'coredns', [{ name: 'coredns', image: `${ECR}/eks/coredns:v1.10.1-eksbuild.7` }]),
    workload('kube-system', 'cluster-autoscaler', [{ name: 'cluster-autoscaler', image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1' }]),
    workload('karpenter', 'karpenter', [{ name: 'controller', image: `public.ecr.aws/karpenter/controller:1.4.0@sha256:${'d'.repeat(64)}` }]),
    workload('shop', 'web', [{ name: 'web', image: 'localhost:5000/shop/web:2026.03.01' }]),
  ],
  daemonsets: [
    workload('kube-system', 'kube-proxy', [{ name: 'kube-proxy', image: `${ECR}/eks/kube-proxy:v1.32.0-minimal-eksbuild.3` }]),
    workload('kube-system', 'aws-node', [
      { name: 'aws-node', image: `${ECR}/amazon-k8s-cni:v1.19.2-eksbuild.1` },
      { name: 'aws-eks-nodeagent', image: `${ECR}/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1` },
    ]),
  ],
};
const metricsText = [
  '# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.',
  '# TYPE apiserver_requested_deprecated_apis gauge',
  'apiserver_requested_deprecated_apis{group="storage.k8s.io",removed_release="1.33",resource="csistoragecapacities",subresource="",version="v1beta1"} 1',
  'apiserver_requested_deprecated_apis{group="",removed_release="",resource="componentstatuses",subresource="",version="v1"} 1',
  '# HELP apiserver_request_total [STABLE] Counter of apiserver requests.',
  'apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"} 42',
  '',
].join('\n');

let api: FakeKubernetesApi;
const client = () => new KubernetesClient({ clusterName: 'prod-eu', region: 'eu-west-1', endpoint: api.endpoint, certificateAuthorityData: api.certificateAuthorityData, credentials, clock });

beforeAll(async () => {
  api = await FakeKubernetesApi.start({ clusterName: 'prod-eu', credentials, clock, objects, metricsText });
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  api.serve();
  api.setMetricsText(metricsText);
  api.requests.length = 0;
});

describe('observeKubernetes against the fake EKS API server', () => {
  it('reads every part, paging the lists, and the checks turn it into findings', async () => {
    const observation = await observeKubernetes(async () => client(), { pageSize: 2 });

    expect(observation.nodes).toEqual({
      total: 5,
      groups: [
        { capacity: 'fargate', minor: '1.29', count: 1, kubeletVersions: ['v1.29.15-eks-473151a'], nodes: ['fargate-ip-10-0-1-10.eu-west-1.compute.internal'], pools: [] },
        { capacity: 'fargate', minor: '1.31', count: 1, kubeletVersions: ['v1.31.4-eks-aeac579'], nodes: ['fargate-ip-10-0-1-11.eu-west-1.compute.internal'], pools: [] },
        { capacity: 'auto', minor: '1.32', count: 1, kubeletVersions: ['v1.32.3-eks-473151a'], nodes: ['i-0auto1'], pools: ['general-purpose'] },
        { capacity: 'karpenter', minor: '1.32', count: 1, kubeletVersions: ['v1.32.1-eks-5d632ec'], nodes: ['i-0karpenter1'], pools: ['default'] },
        { capacity: 'managed-nodegroup', minor: '1.32', count: 1, kubeletVersions: ['v1.32.0-eks-aeac579'], nodes: ['ip-10-0-3-4.eu-west-1.compute.internal'], pools: ['system'] },
      ],
    });
    expect(observation.components).toEqual([
      { component: 'coredns', kind: 'Deployment', namespace: 'kube-system', name: 'coredns', image: `${ECR}/eks/coredns:v1.10.1-eksbuild.7` },
      { component: 'kube-proxy', kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy', image: `${ECR}/eks/kube-proxy:v1.32.0-minimal-eksbuild.3` },
      { component: 'aws-node', kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node', image: `${ECR}/amazon-k8s-cni:v1.19.2-eksbuild.1` },
    ]);
    expect(observation.controllers).toEqual({
      items: [
        { controller: 'karpenter', kind: 'Deployment', namespace: 'karpenter', name: 'karpenter', image: `public.ecr.aws/karpenter/controller:1.4.0@sha256:${'d'.repeat(64)}` },
        { controller: 'cluster-autoscaler', kind: 'Deployment', namespace: 'kube-system', name: 'cluster-autoscaler', image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1' },
      ],
    });
    expect(observation.deprecatedApis).toEqual({
      series: [
        { group: 'storage.k8s.io', version: 'v1beta1', resource: 'csistoragecapacities', subresource: '', removedRelease: '1.33' },
        { group: '', version: 'v1', resource: 'componentstatuses', subresource: '', removedRelease: '' },
      ],
      truncated: false,
    });
    // Five nodes in pages of two; every request authenticated.
    expect(api.requests.filter((request) => request.path === '/api/v1/nodes').map((request) => [request.query.limit, request.query.continue !== undefined])).toEqual([['2', false], ['2', true], ['2', true]]);
    expect(api.requests.every((request) => request.status === 200)).toBe(true);

    const cluster = healthyCluster({ addons: healthyCluster().addons.filter((addon) => addon.name !== 'coredns'), fargateProfiles: ['default'] });
    const findings = [...checkNodeSkew(cluster, observation, undefined, hop), ...checkKubernetesComponents(cluster, observation, hop), ...checkControllers(cluster, observation, hop)];
    expect(summary(findings)).toEqual([
      'BLOCK node-kubelet-skew nodes/fargate/1.29',
      'INFO fargate-kubelet nodes/fargate/1.31',
      'WARN self-managed-component deployment/kube-system/coredns',
      'BLOCK karpenter-compatibility deployment/karpenter/karpenter',
      'WARN cluster-autoscaler-version deployment/kube-system/cluster-autoscaler',
      'BLOCK deprecated-api-removed api/storage.k8s.io/v1beta1/csistoragecapacities',
      'INFO deprecated-api-requested cluster',
    ]);
  });

  it('bounds the lists at maxItems and says so', async () => {
    const observation = await observeKubernetes(async () => client(), { pageSize: 2, maxItems: 3 });
    expect(observation.nodes).toMatchObject({ total: 3, truncatedAt: 3 });
    expect(observation.controllers).toMatchObject({ truncatedAt: 3 });
    expect(summary(checkNodeSkew(healthyCluster(), observation, undefined, hop))).toContain('WARN nodes-truncated cluster');
  });

  it('keeps the other parts when one fails: no /metrics (404) costs only the deprecated APIs', async () => {
    api.setMetricsText(undefined);
    const observation = await observeKubernetes(async () => client());
    expect(observation.deprecatedApis).toMatchObject({ status: 404, error: expect.stringMatching(/^KubernetesStatusError: the cluster API answered 404/) });
    expect(observation.nodes).toMatchObject({ total: 5 });
    expect(observation.components).toHaveLength(3);
    expect(summary(checkControllers(healthyCluster(), observation, hop))).toEqual(['BLOCK karpenter-compatibility deployment/karpenter/karpenter', 'WARN cluster-autoscaler-version deployment/kube-system/cluster-autoscaler', 'INFO deprecated-apis-unreadable cluster']);
  });

  it('turns 403 on every part into findings that say what access is missing, without throwing', async () => {
    api.forbid();
    const observation = await observeKubernetes(async () => client());
    for (const part of [observation.nodes, observation.components, observation.controllers, observation.deprecatedApis]) expect(part).toMatchObject({ status: 403 });
    const cluster = healthyCluster({ fargateProfiles: ['default'] });
    const findings = [...checkNodeSkew(cluster, observation, undefined, hop), ...checkKubernetesComponents(cluster, observation, hop), ...checkControllers(cluster, observation, hop)];
    expect(summary(findings)).toEqual(['WARN nodes-unreadable cluster', 'WARN fargate-skew-unknown cluster', 'INFO components-unreadable cluster', 'WARN controllers-unreadable cluster', 'INFO deprecated-apis-unreadable cluster']);
    expect(findings.at(-1)?.message).toBe('deprecated APIs not checked: the API server forbids eksops GET /metrics');
    // Each part says which permission it lacks (the client's own remedy is about PodDisruptionBudgets).
    expect(findings[0]?.remedy).toMatch(/^allow list on nodes: a ClusterRole rule apiGroups \[""\], resources \["nodes"\]/);
    expect(findings.at(-1)?.remedy).toMatch(/^allow get on the non-resource URL \/metrics: a ClusterRole rule nonResourceURLs \["\/metrics"\]/);
  });

  it('reports a cluster it cannot connect to on every part', async () => {
    const observation = await observeKubernetes(async () => KubernetesClient.forEksCluster({ name: 'creating' }, { region: 'eu-west-1', credentials, clock }));
    expect(observation.nodes).toMatchObject({ error: expect.stringMatching(/^KubernetesEndpointMissingError: cluster creating has no endpoint/) });
    expect(observation.deprecatedApis).toEqual(observation.nodes);
  });
});

describe('observeUnmanagedCapacity against the sandbox EC2', () => {
  it('counts the running instances Karpenter launched for the cluster, by either cluster tag, once each, across pages', async () => {
    const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
    const ec2 = aws.account.service(SandboxEc2);
    const karpenter = (nodepool: string, clusterTags: Record<string, string>) => ec2.seedInstance(aws.here, { tags: { 'karpenter.sh/nodepool': nodepool, ...clusterTags }, volumes: [], networkInterfaces: [] });
    const both = Array.from({ length: 1003 }, () => karpenter('default', { 'kubernetes.io/cluster/prod-eu': 'owned', 'aws:eks:cluster-name': 'prod-eu' }).id);
    // Tagged with aws:eks:cluster-name only: found by the second filter.
    karpenter('gpu', { 'aws:eks:cluster-name': 'prod-eu' });
    // Another cluster's, a managed node group's, and a terminated one: not counted.
    karpenter('default', { 'kubernetes.io/cluster/staging': 'owned' });
    ec2.seedInstance(aws.here, { tags: { 'kubernetes.io/cluster/prod-eu': 'owned', 'eks:nodegroup-name': 'system' } });
    const gone = karpenter('default', { 'kubernetes.io/cluster/prod-eu': 'owned' }).id;
    ec2.terminate(aws.here, gone);

    const observed = await observeUnmanagedCapacity(aws.clients.client(EC2Client), 'prod-eu');

    expect(observed).toEqual({ karpenterInstances: 1004, nodepools: ['default', 'gpu'], instanceIds: both.slice(0, 10), truncated: false });
    const describeCalls = aws.account.calls.filter((call) => call.operation === 'DescribeInstances');
    // Two pages by the kubernetes.io/cluster tag (1003 + 0 of 1000 each), two by aws:eks:cluster-name (1004).
    expect(describeCalls).toHaveLength(4);
    expect(summary(checkNodeSkew(healthyCluster(), undefined, observed, hop))).toEqual(['WARN karpenter-skew-unknown cluster']);
  });

  it('reports an EC2 refusal as unknown instead of failing the pre-flight', async () => {
    const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
    aws.account.injectFault({ clientName: 'EC2Client', commandName: 'DescribeInstancesCommand', error: () => Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }) });
    expect(await observeUnmanagedCapacity(aws.clients.client(EC2Client), 'prod-eu')).toEqual({ error: 'UnauthorizedOperation: You are not authorized to perform this operation.' });
  });
});
