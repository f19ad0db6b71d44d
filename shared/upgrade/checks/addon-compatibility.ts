import { addonSteps, addonTarget, preHopAddonChanges, preHopAddonPath } from '../addon-steps.ts';
import type { ClusterSnapshot } from '../snapshot.ts';
import type { Finding, HopContext } from './finding.ts';

const KUBE_PROXY = 'kube-proxy';

/**
 * Every installed add-on must run a version EKS lists for the target (DescribeAddonVersions --kubernetes-version)
 * before the control plane moves: the findings say what the planner does about it (addon-steps.ts), so the
 * pre-flight and the plan never disagree.
 */
export function checkAddonCompatibility(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const catalog = cluster.addonCatalogs.find((candidate) => candidate.kubernetesVersion === hop.to);
  if (!catalog) {
    // Without the target's versions nothing can show the add-ons compatible, nor plan their pre-hop move.
    if (cluster.addons.length === 0) return [];
    return [{ check: 'addon-catalog', severity: 'BLOCK', resource: 'cluster', message: `no add-on versions could be read for ${hop.to}`, evidence: 'DescribeAddonVersions returned nothing', remedy: 'check that EKS offers the version, then re-run; or check the add-ons by hand' }];
  }
  const preHop = preHopAddonChanges(cluster, hop.to);
  // A gap that blocks the pre-hop move says more than the same gap at the current version: one finding per add-on.
  const blockedBefore = new Set(preHop.findings.map((finding) => finding.resource));
  const findings: Finding[] = [...preHop.findings, ...addonSteps(cluster, () => true).findings.filter((finding) => !blockedBefore.has(finding.resource))];
  for (const addon of cluster.addons) {
    const offered = catalog.addons[addon.name];
    if (!offered || offered.versions.length === 0) {
      findings.push({ check: 'addon-compatibility', severity: 'BLOCK', resource: `addon/${addon.name}`, message: `no version of ${addon.name} supports Kubernetes ${hop.to}`, evidence: `DescribeAddonVersions(${hop.to}): none`, remedy: 'remove the add-on or wait for a compatible version' });
      continue;
    }
    if (offered.versions.includes(addon.version)) continue;
    const evidence = `offered for ${hop.to}: ${offered.versions.join(', ')}`;
    if (addon.name === KUBE_PROXY) {
      // By design: an older kube-proxy is within the skew policy, one newer than the kubelets is not. Nothing to do: INFO.
      findings.push({ check: 'addon-compatibility', severity: 'INFO', resource: `addon/${addon.name}`, message: `${addon.version} is not listed for ${hop.to}; the kube-proxy stage, after the node groups, moves it to ${addonTarget(addon.name, addon.version, catalog) ?? offered.versions[0]}`, evidence, remedy: 'none needed if the kube-proxy stage succeeds' });
      continue;
    }
    const path = preHopAddonPath(cluster, addon.name, hop.to);
    // Blocked ones already have their finding from preHopAddonChanges.
    if (path.length === 0) continue;
    findings.push({
      check: 'addon-compatibility',
      severity: 'INFO',
      resource: `addon/${addon.name}`,
      message: `${addon.version} is not listed for ${hop.to}; before the control plane, the add-on stage moves it to ${path.join(' → ')}${path.length > 1 ? ', one minor version at a time; the last is' : ','} listed for both ${hop.from} and ${hop.to}`,
      evidence,
      remedy: 'none needed if the add-on stage succeeds',
    });
  }
  return findings;
}
