import { compareImageVersions, formatVersion, type ImageVersion, imageVersion, parseImageReference } from '../image-reference.ts';
import { type ComponentName, type ComponentSnapshot, isPartError, type KubernetesObservation } from '../observe-kubernetes.ts';
import type { ClusterSnapshot } from '../snapshot.ts';
import { maxKubeletSkew, minorOf } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';

/**
 * CoreDNS, kube-proxy and the VPC CNI (aws-node) that are not EKS add-ons: clusters made before add-ons existed, or
 * by tools that apply the manifests, run them "self-managed", and EKS never updates them; neither does eksops's
 * add-on stage. Each is reported with its image version, and as a warning when it is older than every version EKS
 * offers as the add-on for the target (DescribeAddonVersions, the snapshot's addonCatalogs). kube-proxy follows the
 * kubelet's skew rule instead (kubernetes.io/releases/version-skew-policy: not newer than kube-apiserver, at most
 * three minors older), since its add-on versions track the Kubernetes minor exactly.
 */
const ADDON_OF: Record<ComponentName, string> = { coredns: 'coredns', 'kube-proxy': 'kube-proxy', 'aws-node': 'vpc-cni' };

function migrateRemedy(cluster: ClusterSnapshot, component: ComponentName, hop: HopContext): string {
  const addon = ADDON_OF[component];
  const current = cluster.addonCatalogs.find((catalog) => catalog.kubernetesVersion === hop.from)?.addons[addon];
  const version = current?.defaultVersion ?? current?.versions[0];
  // EKS user guide, "Create an Amazon EKS add-on": OVERWRITE takes over the existing objects (their settings go back to
  // the add-on's defaults unless given as configuration values); the pods keep running.
  return `make it the EKS add-on so that eksops's add-on stage updates it at each hop: aws eks create-addon --cluster-name ${cluster.name} --addon-name ${addon}${version ? ` --addon-version ${version}` : ''} --resolve-conflicts OVERWRITE (give custom settings with --configuration-values, or they are reset)`;
}

function catalogVersions(cluster: ClusterSnapshot, component: ComponentName, kubernetesVersion: string): ImageVersion[] | undefined {
  const offered = cluster.addonCatalogs.find((catalog) => catalog.kubernetesVersion === kubernetesVersion)?.addons[ADDON_OF[component]];
  if (!offered || offered.versions.length === 0) return undefined;
  return offered.versions.flatMap((version) => imageVersion({ registry: '', repository: '', tag: version }) ?? []).sort(compareImageVersions);
}

function componentFinding(cluster: ClusterSnapshot, item: ComponentSnapshot, hop: HopContext): Finding {
  const reference = parseImageReference(item.image);
  const version = reference ? imageVersion(reference) : undefined;
  const resource = `${item.kind.toLowerCase()}/${item.namespace}/${item.name}`;
  const base = { check: 'self-managed-component', resource, evidence: `image ${item.image}; no EKS add-on ${ADDON_OF[item.component]} in the cluster`, remedy: migrateRemedy(cluster, item.component, hop) };
  const running = version ? formatVersion(version) : undefined;
  if (!version) return { ...base, severity: 'INFO', message: `self-managed ${item.component}: its version cannot be read from the image (${item.image}); EKS does not update it` };
  if (item.component === 'kube-proxy') {
    const minor = `${version.major}.${version.minor}`;
    const skew = minorOf(hop.to) - version.minor;
    if (version.major !== 1 || skew < 0 || skew > maxKubeletSkew(hop.to)) {
      return { ...base, severity: 'WARN', message: `self-managed kube-proxy ${running} would be outside the skew policy after ${hop.from} → ${hop.to} (not newer than the API server, at most ${maxKubeletSkew(hop.to)} minors older)`, remedy: `update it to kube-proxy ${hop.to} after the node groups; better: ${base.remedy}` };
    }
    return { ...base, severity: 'INFO', message: `self-managed kube-proxy ${running} (minor ${minor}): EKS does not update it; move it to ${hop.to}'s after the node groups` };
  }
  const offered = catalogVersions(cluster, item.component, hop.to);
  if (!offered) return { ...base, severity: 'INFO', message: `self-managed ${item.component} ${running}: EKS does not update it (no add-on versions for ${hop.to} to compare with)` };
  const oldest = offered[0];
  if (oldest && compareImageVersions(version, oldest) < 0) {
    return { ...base, severity: 'WARN', message: `self-managed ${item.component} ${running} is older than any ${ADDON_OF[item.component]} version EKS offers for ${hop.to} (oldest ${oldest.tag})`, evidence: `${base.evidence}; offered for ${hop.to}: ${offered.map((entry) => entry.tag).join(', ')}` };
  }
  return { ...base, severity: 'INFO', message: `self-managed ${item.component} ${running}: EKS does not update it; ${hop.to} is offered with ${offered.map((entry) => entry.tag).join(', ')}` };
}

/** The self-managed component findings of one hop. Pure; `undefined` (kubernetesChecks off) gives none. */
export function checkKubernetesComponents(cluster: ClusterSnapshot, observation: KubernetesObservation | undefined, hop: HopContext): Finding[] {
  if (observation === undefined) return [];
  const components = observation.components;
  if (isPartError(components)) {
    return [{ check: 'components-unreadable', severity: 'INFO', resource: 'cluster', message: 'self-managed CoreDNS, kube-proxy and aws-node not checked: kube-system could not be read', evidence: components.error, remedy: components.remedy ?? 'allow eksops get on deployments and daemonsets in kube-system' }];
  }
  const installed = new Set(cluster.addons.map((addon) => addon.name));
  return components.filter((item) => !installed.has(ADDON_OF[item.component])).map((item) => componentFinding(cluster, item, hop));
}
