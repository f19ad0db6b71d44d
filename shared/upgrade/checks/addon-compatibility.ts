import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding, HopContext } from './finding.ts';

/** Every installed add-on must have a version for the target (DescribeAddonVersions --kubernetes-version). */
export function checkAddonCompatibility(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const catalog = cluster.addonCatalogs.find((candidate) => candidate.kubernetesVersion === hop.to);
  if (!catalog) {
    return [{ check: 'addon-catalog', severity: 'WARN', resource: 'cluster', message: `no add-on versions could be read for ${hop.to}`, evidence: 'DescribeAddonVersions returned nothing', remedy: 'check the add-ons by hand before the window' }];
  }
  const findings: Finding[] = [];
  for (const addon of cluster.addons) {
    const offered = catalog.addons[addon.name];
    if (!offered || offered.versions.length === 0) {
      findings.push({ check: 'addon-compatibility', severity: 'BLOCK', resource: `addon/${addon.name}`, message: `no version of ${addon.name} supports Kubernetes ${hop.to}`, evidence: `DescribeAddonVersions(${hop.to}): none`, remedy: 'remove the add-on or wait for a compatible version' });
    } else if (!offered.versions.includes(addon.version)) {
      // kube-proxy always moves after the node groups, by design: a notice that needs nothing done is INFO.
      findings.push({ check: 'addon-compatibility', severity: addon.name === 'kube-proxy' ? 'INFO' : 'WARN', resource: `addon/${addon.name}`, message: `${addon.version} is not listed for ${hop.to}; the ${addon.name === 'kube-proxy' ? 'kube-proxy stage, after the node groups,' : 'add-on stage'} moves it to ${offered.defaultVersion ?? offered.versions[0]}`, evidence: `offered for ${hop.to}: ${offered.versions.join(', ')}`, remedy: 'none needed if the add-on stage succeeds' });
    }
  }
  return findings;
}
