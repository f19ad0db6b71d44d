import { describe, expect, it } from '@jest/globals';
import { checkKubernetesComponents } from '../../../shared/upgrade/checks/kubernetes-components.ts';
import type { ComponentSnapshot, KubernetesObservation } from '../../../shared/upgrade/observe-kubernetes.ts';
import { healthyCluster } from './snapshot-fixture.ts';

const hop = { from: '1.32', to: '1.33', now: new Date('2026-03-02T09:00:00Z') };
const summary = (findings: ReturnType<typeof checkKubernetesComponents>) => findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`);
const ECR = '602401143452.dkr.ecr.eu-west-1.amazonaws.com';

const observed = (components: KubernetesObservation['components']): KubernetesObservation => ({ nodes: { total: 0, groups: [] }, components, controllers: { items: [] }, deprecatedApis: { series: [], truncated: false } });
const coredns = (image: string): ComponentSnapshot => ({ component: 'coredns', kind: 'Deployment', namespace: 'kube-system', name: 'coredns', image });
const kubeProxy = (image: string): ComponentSnapshot => ({ component: 'kube-proxy', kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy', image });
const awsNode = (image: string): ComponentSnapshot => ({ component: 'aws-node', kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node', image });
/** The fixture cluster without the EKS add-ons named. */
const withoutAddons = (...names: string[]) => {
  const cluster = healthyCluster();
  return { ...cluster, addons: cluster.addons.filter((addon) => !names.includes(addon.name)) };
};

describe('self-managed kube-system components', () => {
  it('finds nothing when the checks are off, or when each component is the EKS add-on', () => {
    expect(checkKubernetesComponents(healthyCluster(), undefined, hop)).toEqual([]);
    const components = [coredns(`${ECR}/eks/coredns:v1.11.4-eksbuild.2`), kubeProxy(`${ECR}/eks/kube-proxy:v1.32.0-minimal-eksbuild.3`), awsNode(`${ECR}/amazon-k8s-cni:v1.19.2-eksbuild.1`)];
    expect(checkKubernetesComponents(healthyCluster(), observed(components), hop)).toEqual([]);
  });

  it('warns about a CoreDNS and a VPC CNI older than every add-on version for the target, and says how to migrate (snapshot)', () => {
    const findings = checkKubernetesComponents(withoutAddons('coredns', 'vpc-cni'), observed([coredns(`${ECR}/eks/coredns:v1.10.1-eksbuild.7`), awsNode(`${ECR}/amazon-k8s-cni:v1.18.3-eksbuild.2@sha256:${'a'.repeat(64)}`)]), hop);
    expect(summary(findings)).toEqual(['WARN self-managed-component deployment/kube-system/coredns', 'WARN self-managed-component daemonset/kube-system/aws-node']);
    expect(findings[0]?.message).toBe('self-managed coredns 1.10.1 is older than any coredns version EKS offers for 1.33 (oldest v1.11.4-eksbuild.2)');
    // The add-on version named is one for the cluster's current version: create-addon needs a compatible one.
    expect(findings[0]?.remedy).toBe('make it the EKS add-on so that eksops\'s add-on stage updates it at each hop: aws eks create-addon --cluster-name prod-eu --addon-name coredns --addon-version v1.11.4-eksbuild.2 --resolve-conflicts OVERWRITE (give custom settings with --configuration-values, or they are reset)');
    expect(findings[1]?.remedy).toMatch(/--addon-name vpc-cni --addon-version v1\.19\.2-eksbuild\.1/);
    expect(findings).toMatchSnapshot();
  });

  it('gives a self-managed component at an offered version an INFO with its version', () => {
    const findings = checkKubernetesComponents(withoutAddons('coredns'), observed([coredns(`${ECR}/eks/coredns:v1.12.1-eksbuild.2`)]), hop);
    expect(summary(findings)).toEqual(['INFO self-managed-component deployment/kube-system/coredns']);
    expect(findings[0]?.message).toBe('self-managed coredns 1.12.1: EKS does not update it; 1.33 is offered with v1.11.4-eksbuild.2, v1.12.1-eksbuild.2');
  });

  it('holds kube-proxy to the skew policy rather than to the add-on list, which tracks the minor exactly', () => {
    const cluster = withoutAddons('kube-proxy');
    expect(summary(checkKubernetesComponents(cluster, observed([kubeProxy(`${ECR}/eks/kube-proxy:v1.32.0-minimal-eksbuild.3`)]), hop))).toEqual(['INFO self-managed-component daemonset/kube-system/kube-proxy']);
    expect(summary(checkKubernetesComponents(cluster, observed([kubeProxy('registry.k8s.io/kube-proxy:v1.29.10')]), hop))).toEqual(['WARN self-managed-component daemonset/kube-system/kube-proxy']);
    expect(summary(checkKubernetesComponents(cluster, observed([kubeProxy('registry.k8s.io/kube-proxy:v1.34.1')]), hop))).toEqual(['WARN self-managed-component daemonset/kube-system/kube-proxy']);
  });

  it('reports an image whose version cannot be read (a digest only, latest) as INFO, not as behind', () => {
    const findings = checkKubernetesComponents(withoutAddons('coredns', 'kube-proxy'), observed([coredns(`localhost:5000/coredns/coredns@sha256:${'b'.repeat(64)}`), kubeProxy('kube-proxy:latest')]), hop);
    expect(summary(findings)).toEqual(['INFO self-managed-component deployment/kube-system/coredns', 'INFO self-managed-component daemonset/kube-system/kube-proxy']);
    expect(findings[0]?.message).toMatch(/cannot be read from the image/);
  });

  it('says it could not compare when there is no add-on catalog for the target', () => {
    const findings = checkKubernetesComponents(withoutAddons('coredns'), observed([coredns(`${ECR}/eks/coredns:v1.8.0`)]), { ...hop, from: '1.33', to: '1.34' });
    expect(summary(findings)).toEqual(['INFO self-managed-component deployment/kube-system/coredns']);
    expect(findings[0]?.message).toMatch(/no add-on versions for 1\.34 to compare with/);
    // The remedy still names an add-on version for the cluster's current version, from its catalog.
    expect(findings[0]?.remedy).toMatch(/--addon-version v1\.12\.1-eksbuild\.2/);
  });

  it('says kube-system could not be read, without failing', () => {
    expect(summary(checkKubernetesComponents(healthyCluster(), observed({ error: 'KubernetesAccessError: forbidden', status: 403 }), hop))).toEqual(['INFO components-unreadable cluster']);
  });
});
