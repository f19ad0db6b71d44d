import { describe, expect, it } from '@jest/globals';
import { checkControllers, KARPENTER_MINIMUMS } from '../../../shared/upgrade/checks/controllers.ts';
import { imageVersion, parseImageReference } from '../../../shared/upgrade/image-reference.ts';
import { type ControllerSnapshot, controllerOf, deprecatedApisFrom, type KubernetesObservation } from '../../../shared/upgrade/observe-kubernetes.ts';
import { samplesOf } from '../../../shared/upgrade/prometheus-text.ts';
import { healthyCluster } from './snapshot-fixture.ts';

const hop = { from: '1.32', to: '1.33', now: new Date('2026-03-02T09:00:00Z') };
const summary = (findings: ReturnType<typeof checkControllers>) => findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`);
const DIGEST = `sha256:${'c'.repeat(64)}`;

const observed = (parts: Partial<KubernetesObservation>): KubernetesObservation => ({ nodes: { total: 0, groups: [] }, components: [], controllers: { items: [] }, deprecatedApis: { series: [], truncated: false }, ...parts });
const controller = (image: string, fields: Partial<ControllerSnapshot> = {}): ControllerSnapshot => {
  const kind = controllerOf(image);
  if (!kind) throw new Error(`not a controller image: ${image}`);
  return { controller: kind, kind: 'Deployment', namespace: 'kube-system', name: kind, image, ...fields };
};

describe('image references', () => {
  it.each([
    ['registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0', { registry: 'registry.k8s.io', repository: 'autoscaling/cluster-autoscaler', tag: 'v1.33.0' }],
    // A registry port is not a tag.
    ['localhost:5000/karpenter/controller', { registry: 'localhost:5000', repository: 'karpenter/controller' }],
    ['registry.internal:8443/mirror/karpenter/controller:1.6.0@' + DIGEST, { registry: 'registry.internal:8443', repository: 'mirror/karpenter/controller', tag: '1.6.0', digest: DIGEST }],
    ['public.ecr.aws/karpenter/controller@' + DIGEST, { registry: 'public.ecr.aws', repository: 'karpenter/controller', digest: DIGEST }],
    ['602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2', { registry: '602401143452.dkr.ecr.eu-west-1.amazonaws.com', repository: 'eks/coredns', tag: 'v1.11.4-eksbuild.2' }],
    // Docker Hub, with and without the library/ of official images.
    ['amazon/aws-efs-csi-driver:v2.1.0', { registry: 'docker.io', repository: 'amazon/aws-efs-csi-driver', tag: 'v2.1.0' }],
    ['busybox', { registry: 'docker.io', repository: 'library/busybox' }],
  ])('splits %s', (reference, expected) => {
    expect(parseImageReference(reference)).toEqual(expected);
  });

  it.each(['', 'has space:v1', 'UPPER/case:v1', 'repo:bad/tag', `repo@sha256`, 'a//b:v1', 'x'.repeat(600)])('refuses %j', (reference) => {
    expect(parseImageReference(reference)).toBeUndefined();
  });

  it('reads the version a tag starts with, and none from latest or a digest alone', () => {
    const version = (reference: string) => {
      const parsed = parseImageReference(reference);
      return parsed ? imageVersion(parsed) : undefined;
    };
    expect(version('registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1')).toEqual({ major: 1, minor: 32, patch: 1, tag: 'v1.32.1' });
    expect(version('public.ecr.aws/karpenter/controller:1.6.0@' + DIGEST)).toEqual({ major: 1, minor: 6, patch: 0, tag: '1.6.0' });
    expect(version('x/kube-proxy:v1.32.0-minimal-eksbuild.3')).toEqual({ major: 1, minor: 32, patch: 0, tag: 'v1.32.0-minimal-eksbuild.3' });
    expect(version('x/y:latest')).toBeUndefined();
    expect(version('x/y@' + DIGEST)).toBeUndefined();
    expect(version('x/y:1.2345678.0')).toBeUndefined();
  });

  it('recognises controllers by repository name in any registry, and nothing else', () => {
    expect(controllerOf('123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/cluster-autoscaler:v1.33.0')).toBe('cluster-autoscaler');
    expect(controllerOf('public.ecr.aws/karpenter/controller:1.6.0')).toBe('karpenter');
    expect(controllerOf('public.ecr.aws/eks/aws-load-balancer-controller:v2.13.0')).toBe('aws-load-balancer-controller');
    expect(controllerOf('public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.48.0')).toBe('aws-ebs-csi-driver');
    expect(controllerOf('amazon/aws-efs-csi-driver:v2.1.0')).toBe('aws-efs-csi-driver');
    expect(controllerOf('quay.io/argoproj/argocd:v2.13.0')).toBeUndefined();
    expect(controllerOf('example.com/someone/controller:v1')).toBeUndefined();
  });
});

describe('controllers that depend on the Kubernetes minor', () => {
  it('finds nothing when the checks are off', () => {
    expect(checkControllers(healthyCluster(), undefined, hop)).toEqual([]);
  });

  it('wants cluster-autoscaler 1.N for Kubernetes 1.N: INFO when it matches the target, WARN otherwise', () => {
    const findings = checkControllers(
      healthyCluster(),
      observed({ controllers: { items: [controller('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0', { name: 'ca-new' }), controller('registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1', { name: 'ca-now' }), controller('registry.k8s.io/autoscaling/cluster-autoscaler:v1.29.4', { name: 'ca-old' })] } }),
      hop,
    );
    expect(summary(findings)).toEqual(['INFO cluster-autoscaler-version deployment/kube-system/ca-new', 'WARN cluster-autoscaler-version deployment/kube-system/ca-now', 'WARN cluster-autoscaler-version deployment/kube-system/ca-old']);
    expect(findings[1]?.message).toBe("Cluster Autoscaler 1.32.1 is for Kubernetes 1.32: it matches 1.32 now, and its minor must match the cluster's (cluster-autoscaler 1.N.x for Kubernetes 1.N)");
    expect(findings[1]?.remedy).toMatch(/cluster-autoscaler 1\.33\.x right after the control-plane stage/);
    expect(findings[2]?.message).toMatch(/matches neither 1\.32 nor 1\.33/);
  });

  it('blocks a Karpenter older than the published minimum for the target, and passes one at it', () => {
    expect(KARPENTER_MINIMUMS['1.33']).toBe('1.5.0');
    const findings = checkControllers(
      healthyCluster(),
      observed({ controllers: { items: [controller('public.ecr.aws/karpenter/controller:1.4.0@' + DIGEST, { namespace: 'karpenter', name: 'old' }), controller('public.ecr.aws/karpenter/controller:1.5.0', { namespace: 'karpenter', name: 'ok' }), controller('public.ecr.aws/karpenter/controller:v0.37.5', { namespace: 'karpenter', name: 'v0' })] } }),
      hop,
    );
    expect(summary(findings)).toEqual(['BLOCK karpenter-compatibility deployment/karpenter/old', 'INFO karpenter-compatibility deployment/karpenter/ok', 'BLOCK karpenter-compatibility deployment/karpenter/v0']);
    expect(findings[0]?.message).toBe("Karpenter 1.4.0 does not support Kubernetes 1.33 (needs 1.5.0 or newer): after the hop it refuses the API server's version and provisions no nodes");
    expect(findings[0]?.evidence).toMatch(/karpenter\.sh\/v1\.9\/upgrading\/compatibility/);
  });

  it('says UNKNOWN for a target beyond the table, and warns when the version cannot be read', () => {
    const beyond = checkControllers(healthyCluster(), observed({ controllers: { items: [controller('public.ecr.aws/karpenter/controller:1.15.0')] } }), { ...hop, from: '1.35', to: '1.36' });
    expect(summary(beyond)).toEqual(['WARN karpenter-compatibility deployment/kube-system/karpenter']);
    expect(beyond[0]?.message).toBe('Karpenter 1.15.0 with Kubernetes 1.36: UNKNOWN, the compatibility table eksops knows stops at 1.35');
    const digestOnly = checkControllers(healthyCluster(), observed({ controllers: { items: [controller('public.ecr.aws/karpenter/controller@' + DIGEST)] } }), hop);
    expect(summary(digestOnly)).toEqual(['WARN karpenter-compatibility deployment/kube-system/karpenter']);
  });

  it('reports the Load Balancer Controller and self-managed CSI drivers as INFO, and leaves CSI add-ons to the catalog check', () => {
    const items = [
      controller('602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-load-balancer-controller:v2.13.0'),
      controller('public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.48.0', { name: 'ebs-csi-controller' }),
      controller('amazon/aws-efs-csi-driver:v2.1.0', { name: 'efs-csi-node', kind: 'DaemonSet' }),
    ];
    const findings = checkControllers(healthyCluster(), observed({ controllers: { items } }), hop);
    // The fixture has the aws-ebs-csi-driver add-on.
    expect(summary(findings)).toEqual(['INFO controller-version deployment/kube-system/aws-load-balancer-controller', 'INFO controller-version daemonset/kube-system/efs-csi-node']);
    expect(findings[1]?.message).toBe('self-managed Amazon EFS CSI driver 2.1.0: not the EKS add-on, so no compatibility with the target is known');
  });

  it('warns when workloads could not be read or were cut', () => {
    expect(summary(checkControllers(healthyCluster(), observed({ controllers: { error: 'KubernetesTimeoutError: slow' } }), hop))).toEqual(['WARN controllers-unreadable cluster']);
    expect(summary(checkControllers(healthyCluster(), observed({ controllers: { items: [], truncatedAt: 5000 } }), hop))).toEqual(['WARN controllers-truncated cluster']);
  });
});

const METRICS = [
  '# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.',
  '# TYPE apiserver_requested_deprecated_apis gauge',
  'apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="flowschemas",subresource="",version="v1beta3"} 1',
  'apiserver_requested_deprecated_apis{group="",removed_release="",resource="componentstatuses",subresource="",version="v1"} 1',
  'apiserver_requested_deprecated_apis{group="storage.k8s.io",removed_release="1.33",resource="csistoragecapacities",subresource="status",version="v1beta1"} 1 1700000000000',
  'apiserver_requested_deprecated_apis{group="batch",removed_release="1.40",resource="cron\\"jobs\\\\x",subresource="",version="v9"} 1',
  // The same series again (two scrapes concatenated): counted once.
  'apiserver_requested_deprecated_apis{group="storage.k8s.io",removed_release="1.33",resource="csistoragecapacities",subresource="status",version="v1beta1"} 1',
  'apiserver_requested_deprecated_apis_other{group="x"} 1',
  'apiserver_requested_deprecated_apis{group="broken" 1',
  'apiserver_request_total{code="200"} 12',
].join('\n');

describe('the Prometheus text exposition parser', () => {
  it('reads the samples of one metric, with escapes, timestamps and malformed lines skipped', () => {
    const parsed = samplesOf(`${METRICS}\n`, 'apiserver_requested_deprecated_apis');
    expect(parsed.samples).toHaveLength(5);
    expect(parsed.samples[3]?.labels.resource).toBe('cron"jobs\\x');
    expect(parsed.malformed).toBe(1);
    expect(parsed.truncated).toBe(false);
  });

  it('stops at its line, size and sample caps and says so', () => {
    expect(samplesOf(METRICS, 'apiserver_requested_deprecated_apis', { maxLines: 3 })).toMatchObject({ samples: [{ labels: { resource: 'flowschemas' } }], truncated: true });
    // The cut last line is not read as a whole one.
    const cutAt = METRICS.indexOf('componentstatuses');
    expect(samplesOf(METRICS, 'apiserver_requested_deprecated_apis', { maxChars: cutAt }).samples).toHaveLength(1);
    expect(samplesOf(METRICS, 'apiserver_requested_deprecated_apis', { maxSamples: 2 })).toMatchObject({ truncated: true });
    expect(samplesOf(METRICS, 'apiserver_requested_deprecated_apis', { maxSamples: 2 }).samples).toHaveLength(2);
  });

  it('accepts the value forms of the format and refuses others', () => {
    expect(samplesOf('m 1.5e3\nm{a="b"} +Inf\nm NaN\nm 0x10\nm 1 2 3\n', 'm').samples.map((sample) => sample.value)).toEqual([1500, Number.POSITIVE_INFINITY, Number.NaN]);
  });
});

describe('deprecated APIs still requested', () => {
  it('blocks each API the hop removes and lists the others as INFO (snapshot)', () => {
    const findings = checkControllers(healthyCluster(), observed({ deprecatedApis: deprecatedApisFrom(METRICS) }), hop);
    expect(summary(findings)).toEqual(['BLOCK deprecated-api-removed api/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas', 'BLOCK deprecated-api-removed api/storage.k8s.io/v1beta1/csistoragecapacities', 'INFO deprecated-api-requested cluster']);
    expect(findings[1]?.message).toBe('storage.k8s.io/v1beta1 csistoragecapacities/status is still requested and is removed in 1.33: after 1.32 → 1.33 those requests fail');
    expect(findings[2]?.evidence).toBe('v1 componentstatuses (removed in no release named); batch/v9 cron"jobs\\x (removed in 1.40)');
    expect(findings).toMatchSnapshot();
  });

  it('does not block an API removed after the target', () => {
    const findings = checkControllers(healthyCluster(), observed({ deprecatedApis: deprecatedApisFrom(METRICS) }), { ...hop, from: '1.31', to: '1.32' });
    expect(summary(findings)).toEqual(['BLOCK deprecated-api-removed api/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas', 'INFO deprecated-api-requested cluster']);
  });

  it('says so when /metrics is forbidden, pointing to the upgrade insights', () => {
    const findings = checkControllers(healthyCluster(), observed({ deprecatedApis: { error: 'KubernetesAccessError: forbidden', status: 403 } }), hop);
    expect(summary(findings)).toEqual(['INFO deprecated-apis-unreadable cluster']);
    expect(findings[0]?.message).toBe('deprecated APIs not checked: the API server forbids eksops GET /metrics');
    expect(findings[0]?.remedy).toMatch(/nonResourceURLs \["\/metrics"\].*; meanwhile the EKS upgrade insight "Deprecated APIs removed in Kubernetes v1\.33"/);
  });
});
