import { compareImageVersions, formatVersion, type ImageVersion, imageVersion, parseImageReference } from '../image-reference.ts';
import { type ControllerSnapshot, type DeprecatedApiSeries, isPartError, type KubernetesObservation } from '../observe-kubernetes.ts';
import type { ClusterSnapshot } from '../snapshot.ts';
import { minorOf } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';

/**
 * Controllers whose support depends on the Kubernetes minor, found by their images in every namespace, and the
 * deprecated APIs clients still request (the API server's apiserver_requested_deprecated_apis). What each finding
 * says follows what each project publishes:
 * - Cluster Autoscaler: one release line per Kubernetes minor, cluster-autoscaler 1.N.x for Kubernetes 1.N
 *   (kubernetes/autoscaler, cluster-autoscaler README "Releases"; EKS best practices: versions must match). A
 *   mismatch after the hop is a warning: the autoscaler is upgraded right after the control plane, not before.
 * - Karpenter: a compatibility matrix (KARPENTER_MINIMUMS below); Karpenter checks the API server's version when it
 *   starts and refuses one outside its range (karpenter-provider-aws pkg/providers/version/version.go,
 *   validateK8sVersion: "karpenter is not compatible with kubernetes version"), so a Karpenter below the target's
 *   minimum blocks: after the hop it would provision nothing.
 * - AWS Load Balancer Controller, and the EBS and EFS CSI drivers run without the EKS add-on: their projects publish
 *   no per-release Kubernetes range that eksops encodes; the version is reported (INFO). As EKS add-ons the CSI drivers
 *   are covered by the add-on catalog check.
 */

/**
 * The Karpenter compatibility matrix: the oldest Karpenter release supporting each Kubernetes minor.
 * Source: https://karpenter.sh/v1.9/upgrading/compatibility/ ("Compatibility Matrix", v1.9 LTS documentation,
 * read 2026-12-02; the same rows up to 1.33 on the v1.6 page). The table's 1.35 cell is "1.9.x"; later releases
 * support 1.35 too (their own version.go ranges). A Kubernetes minor beyond the table is UNKNOWN, not assumed.
 */
export const KARPENTER_MINIMUMS: Readonly<Record<string, string>> = {
  '1.25': '0.25.0',
  '1.26': '0.28.0',
  '1.27': '0.28.0',
  '1.28': '0.31.0',
  '1.29': '0.34.0',
  '1.30': '0.37.0',
  '1.31': '1.0.5',
  '1.32': '1.2.0',
  '1.33': '1.5.0',
  '1.34': '1.6.0',
  '1.35': '1.9.0',
};
export const KARPENTER_TABLE_SOURCE = 'karpenter.sh/v1.9/upgrading/compatibility (read 2026-12-02)';

const versionOf = (image: string): ImageVersion | undefined => {
  const reference = parseImageReference(image);
  return reference ? imageVersion(reference) : undefined;
};
const parseVersion = (text: string): ImageVersion | undefined => imageVersion({ registry: '', repository: '', tag: text });

function resourceOf(item: ControllerSnapshot): string {
  return `${item.kind.toLowerCase()}/${item.namespace}/${item.name}`;
}

function clusterAutoscaler(item: ControllerSnapshot, hop: HopContext): Finding {
  const version = versionOf(item.image);
  const base = { check: 'cluster-autoscaler-version', resource: resourceOf(item), evidence: `image ${item.image}` };
  if (!version) return { ...base, severity: 'WARN', message: `Cluster Autoscaler: its version cannot be read from the image, and its minor must match Kubernetes ${hop.to} after the hop`, remedy: `run cluster-autoscaler 1.${minorOf(hop.to)}.x after the hop (a tagged image, not a digest only)` };
  const running = formatVersion(version);
  if (version.major === 1 && version.minor === minorOf(hop.to)) return { ...base, severity: 'INFO', message: `Cluster Autoscaler ${running} matches Kubernetes ${hop.to}`, remedy: 'none needed' };
  const already = version.major === 1 && version.minor === minorOf(hop.from) ? `it matches ${hop.from} now` : `it matches neither ${hop.from} nor ${hop.to}`;
  return {
    ...base,
    severity: 'WARN',
    message: `Cluster Autoscaler ${running} is for Kubernetes 1.${version.minor}: ${already}, and its minor must match the cluster's (cluster-autoscaler 1.N.x for Kubernetes 1.N)`,
    remedy: `upgrade it to the newest cluster-autoscaler 1.${minorOf(hop.to)}.x right after the control-plane stage of ${hop.from} → ${hop.to}`,
  };
}

function karpenter(item: ControllerSnapshot, hop: HopContext): Finding {
  const version = versionOf(item.image);
  const base = { check: 'karpenter-compatibility', resource: resourceOf(item), evidence: `image ${item.image}` };
  const minimum = KARPENTER_MINIMUMS[hop.to];
  if (minimum === undefined) {
    return { ...base, severity: 'WARN', message: `Karpenter ${version ? formatVersion(version) : '(version unknown)'} with Kubernetes ${hop.to}: UNKNOWN, the compatibility table eksops knows stops at ${Object.keys(KARPENTER_MINIMUMS).at(-1)}`, evidence: `${base.evidence}; table: ${KARPENTER_TABLE_SOURCE}`, remedy: `check karpenter.sh's compatibility matrix for ${hop.to} and upgrade Karpenter first if needed` };
  }
  const needed = parseVersion(minimum);
  if (!version || !needed) {
    return { ...base, severity: 'WARN', message: `Karpenter: its version cannot be read from the image; Kubernetes ${hop.to} needs Karpenter ${minimum} or newer`, remedy: `make sure Karpenter is ${minimum} or newer before the hop` };
  }
  if (compareImageVersions(version, needed) < 0) {
    return {
      ...base,
      severity: 'BLOCK',
      message: `Karpenter ${formatVersion(version)} does not support Kubernetes ${hop.to} (needs ${minimum} or newer): after the hop it refuses the API server's version and provisions no nodes`,
      evidence: `${base.evidence}; ${KARPENTER_TABLE_SOURCE}`,
      remedy: `upgrade Karpenter (and its CRDs, karpenter-crd chart) to ${minimum} or newer, following its upgrade guide, then re-run the pre-flight`,
    };
  }
  return { ...base, severity: 'INFO', message: `Karpenter ${formatVersion(version)} supports Kubernetes ${hop.to} (${minimum} or newer)`, evidence: `${base.evidence}; ${KARPENTER_TABLE_SOURCE}`, remedy: 'none needed' };
}

const SELF_MANAGED_DRIVERS = { 'aws-ebs-csi-driver': 'Amazon EBS CSI driver', 'aws-efs-csi-driver': 'Amazon EFS CSI driver' } as const;

function reportOnly(cluster: ClusterSnapshot, item: ControllerSnapshot): Finding | undefined {
  const version = versionOf(item.image);
  const running = version ? formatVersion(version) : '(version unknown)';
  if (item.controller === 'aws-load-balancer-controller') {
    return { check: 'controller-version', severity: 'INFO', resource: resourceOf(item), message: `AWS Load Balancer Controller ${running}`, evidence: `image ${item.image}`, remedy: 'its project publishes no per-release Kubernetes range eksops checks: read the release notes of your version for the target before the hop' };
  }
  if (item.controller === 'aws-ebs-csi-driver' || item.controller === 'aws-efs-csi-driver') {
    // The EKS add-on's versions are checked against the target by the add-on catalog check.
    if (cluster.addons.some((addon) => addon.name === item.controller)) return undefined;
    return {
      check: 'controller-version',
      severity: 'INFO',
      resource: resourceOf(item),
      message: `self-managed ${SELF_MANAGED_DRIVERS[item.controller]} ${running}: not the EKS add-on, so no compatibility with the target is known`,
      evidence: `image ${item.image}; no EKS add-on ${item.controller}`,
      remedy: `its project publishes no per-release Kubernetes range eksops checks; make it the EKS add-on (aws eks create-addon --cluster-name ${cluster.name} --addon-name ${item.controller} --resolve-conflicts OVERWRITE) so the add-on catalog covers it`,
    };
  }
  return undefined;
}

function apiName(series: DeprecatedApiSeries): string {
  return `${series.group ? `${series.group}/` : ''}${series.version} ${series.resource}${series.subresource ? `/${series.subresource}` : ''}`;
}

function deprecatedApis(observation: KubernetesObservation, hop: HopContext): Finding[] {
  const part = observation.deprecatedApis;
  const insight = `the EKS upgrade insight "Deprecated APIs removed in Kubernetes v${hop.to}" (the insights check) lists the clients still calling removed APIs`;
  if (isPartError(part)) {
    return [{
      check: 'deprecated-apis-unreadable',
      severity: 'INFO',
      resource: 'cluster',
      message: part.status === 403 ? 'deprecated APIs not checked: the API server forbids eksops GET /metrics' : 'deprecated APIs not checked: the API server\'s /metrics could not be read',
      evidence: part.error,
      remedy: `${part.status === 403 ? `${part.remedy ?? 'allow get on the non-resource URL /metrics (a ClusterRole rule nonResourceURLs ["/metrics"], verbs ["get"])'}; meanwhile ` : ''}${insight}`,
    }];
  }
  const findings: Finding[] = [];
  const later: DeprecatedApiSeries[] = [];
  for (const series of part.series) {
    const removed = /^1\.\d+$/.test(series.removedRelease) ? series.removedRelease : undefined;
    if (removed !== undefined && minorOf(removed) <= minorOf(hop.to)) {
      findings.push({
        check: 'deprecated-api-removed',
        severity: 'BLOCK',
        resource: `api/${series.group || 'core'}/${series.version}/${series.resource}`,
        message: `${apiName(series)} is still requested and is removed in ${removed}: after ${hop.from} → ${hop.to} those requests fail`,
        evidence: `apiserver_requested_deprecated_apis{group="${series.group}",version="${series.version}",resource="${series.resource}",subresource="${series.subresource}",removed_release="${series.removedRelease}"}`,
        remedy: `move the clients and manifests (Helm releases, operators, CI) to the API that replaces it, then re-run the pre-flight; ${insight}. The gauge is the answering API server's since its start: it may stay set after the last client moved, until the control plane restarts; the insight is then the better witness`,
      });
    } else {
      later.push(series);
    }
  }
  if (later.length > 0) {
    findings.push({
      check: 'deprecated-api-requested',
      severity: 'INFO',
      resource: 'cluster',
      message: `${later.length} deprecated API(s) still requested, not removed by ${hop.to}`,
      evidence: later.map((series) => `${apiName(series)} (removed in ${series.removedRelease || 'no release named'})`).join('; '),
      remedy: 'move their clients to the replacement APIs before the release that removes them',
    });
  }
  if (part.truncated) findings.push({ check: 'deprecated-apis-truncated', severity: 'INFO', resource: 'cluster', message: 'the API server\'s /metrics was longer than eksops reads: some deprecated APIs may be missing', evidence: 'the metrics text, its lines or the series were cut', remedy: insight });
  return findings;
}

/** The controller and deprecated-API findings of one hop. Pure; `undefined` (kubernetesChecks off) gives none. */
export function checkControllers(cluster: ClusterSnapshot, observation: KubernetesObservation | undefined, hop: HopContext): Finding[] {
  if (observation === undefined) return [];
  const findings: Finding[] = [];
  const controllers = observation.controllers;
  if (isPartError(controllers)) {
    findings.push({ check: 'controllers-unreadable', severity: 'WARN', resource: 'cluster', message: 'Cluster Autoscaler, Karpenter and other controllers not checked: deployments and daemonsets could not be read', evidence: controllers.error, remedy: controllers.remedy ?? 'allow eksops list on deployments and daemonsets (apps) at cluster scope' });
  } else {
    for (const item of controllers.items) {
      if (item.controller === 'cluster-autoscaler') findings.push(clusterAutoscaler(item, hop));
      else if (item.controller === 'karpenter') findings.push(karpenter(item, hop));
      else {
        const finding = reportOnly(cluster, item);
        if (finding) findings.push(finding);
      }
    }
    if (controllers.truncatedAt !== undefined) {
      findings.push({ check: 'controllers-truncated', severity: 'WARN', resource: 'cluster', message: `only the first ${controllers.truncatedAt} deployments and daemonsets were looked at for controllers`, evidence: `more than ${controllers.truncatedAt} in the cluster`, remedy: 'check by hand: kubectl get deploy,ds -A -o wide | grep -E "cluster-autoscaler|karpenter"' });
    }
  }
  return [...findings, ...deprecatedApis(observation, hop)];
}
