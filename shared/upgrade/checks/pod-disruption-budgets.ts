import type { Finding, HopContext } from './finding.ts';

/**
 * PodDisruptionBudgets that stop a drain: the first cause of stuck managed node-group updates. EKS drains each
 * old node with the eviction API, which honours PDBs; when a pod cannot be evicted EKS keeps retrying (15 minutes per
 * node) and then fails the update with PodEvictionFailure (unless `force` is set, which ignores PDBs). By then the
 * control plane of the hop has already moved, so the cluster is left half way. These findings stop the hop before it
 * starts instead.
 *
 * Read from the cluster API (policy/v1, all namespaces) only when eksops has read access to it; the status fields are
 * the disruption controller's: desiredHealthy is what minAvailable/maxUnavailable require of expectedPods (percentages
 * round up), disruptionsAllowed = currentHealthy − desiredHealthy, never below 0.
 */
export interface PdbSnapshot {
  namespace: string;
  name: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  /** The label selector as kubectl shows it (`app=web,tier in (a,b)`); `''` selects every pod of the namespace. */
  selector?: string;
  /** `IfHealthyBudget` (the default) or `AlwaysAllow` (Kubernetes 1.26+). */
  unhealthyPodEvictionPolicy?: string;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
}

/**
 * What the observer puts in the snapshot: every PDB; the first `truncatedAt` of more (the client caps a list); or why
 * the cluster API could not be read. Absent: the Kubernetes-side checks are not enabled for the cluster.
 */
export type PdbObservation = PdbSnapshot[] | { items: PdbSnapshot[]; truncatedAt: number } | { error: string; remedy?: string };

export const PDB_UNREADABLE_REMEDY =
  'give eksops read access to the cluster API: an EKS access entry for its role with the AmazonEKSViewPolicy access policy (cluster scope), or a ClusterRole allowing list on poddisruptionbudgets.policy bound to a group of that access entry';

const isPercent = (value: number | string | undefined, percent: number) => typeof value === 'string' && value.trim() === `${percent}%`;

/**
 * Why a PDB can never allow an eviction while its workload keeps its usual size, or undefined. `maxUnavailable: 0`
 * (or `0%`) and `minAvailable: 100%` say so in the spec; any other budget that requires every expected pod (an
 * integer minAvailable at or above the replicas, a percentage that rounds up to all of them) shows as
 * desiredHealthy ≥ expectedPods. Such a PDB may report a disruption allowed for a moment (a surge during a rollout
 * makes currentHealthy exceed expectedPods), which says nothing about the drain to come: it blocks regardless.
 */
function neverAllows(pdb: PdbSnapshot): string | undefined {
  if (pdb.maxUnavailable === 0 || isPercent(pdb.maxUnavailable, 0)) return `maxUnavailable=${pdb.maxUnavailable}`;
  if (isPercent(pdb.minAvailable, 100)) return 'minAvailable=100%';
  if (pdb.desiredHealthy >= pdb.expectedPods) {
    const budget = pdb.minAvailable !== undefined ? `minAvailable=${pdb.minAvailable}` : `maxUnavailable=${pdb.maxUnavailable ?? '-'}`;
    return `${budget} requires ${pdb.desiredHealthy} healthy of ${pdb.expectedPods}`;
  }
  return undefined;
}

function evidence(pdb: PdbSnapshot): string {
  return [
    `minAvailable=${pdb.minAvailable ?? '-'}`,
    `maxUnavailable=${pdb.maxUnavailable ?? '-'}`,
    `currentHealthy=${pdb.currentHealthy}`,
    `desiredHealthy=${pdb.desiredHealthy}`,
    `expectedPods=${pdb.expectedPods}`,
    `disruptionsAllowed=${pdb.disruptionsAllowed}`,
    ...(pdb.selector !== undefined ? [`selector=${pdb.selector === '' ? '(all pods)' : pdb.selector}`] : []),
    ...(pdb.unhealthyPodEvictionPolicy ? [`unhealthyPodEvictionPolicy=${pdb.unhealthyPodEvictionPolicy}`] : []),
  ].join(', ');
}

function checkOne(pdb: PdbSnapshot, hop: HopContext): Finding[] {
  // A PDB that selects no pod guards nothing (and one whose status the controller has not computed yet shows 0 too).
  if (pdb.expectedPods <= 0) return [];
  const resource = `pdb/${pdb.namespace}/${pdb.name}`;
  const stage = `the node-group stage of ${hop.from} → ${hop.to} would fail with PodEvictionFailure`;
  const never = neverAllows(pdb);
  if (never !== undefined) {
    return [{
      check: 'pdb-never-allows-disruption',
      severity: 'BLOCK',
      resource,
      message: `PodDisruptionBudget never allows evicting its ${pdb.expectedPods} pod(s) (${never}): ${stage}`,
      evidence: evidence(pdb),
      remedy: 'let the budget spare one pod: maxUnavailable of 1 or more, or a minAvailable below the replica count (or scale the workload above it), then re-run the pre-flight',
    }];
  }
  if (pdb.disruptionsAllowed > 0) return [];
  // AlwaysAllow lets the eviction API take pods that are not Ready whatever the budget: with no healthy pod left,
  // nothing the budget protects stands in the drain's way.
  if (pdb.unhealthyPodEvictionPolicy === 'AlwaysAllow' && pdb.currentHealthy === 0) {
    return [{
      check: 'pdb-zero-disruptions',
      severity: 'WARN',
      resource,
      message: `PodDisruptionBudget allows 0 disruptions, but none of its ${pdb.expectedPods} pod(s) is healthy and unhealthyPodEvictionPolicy=AlwaysAllow lets the drain evict them`,
      evidence: evidence(pdb),
      remedy: 'fix the workload: once its pods are healthy the budget applies again',
    }];
  }
  const unhealthy = pdb.currentHealthy < pdb.desiredHealthy;
  return [{
    check: 'pdb-zero-disruptions',
    severity: 'BLOCK',
    resource,
    message: `PodDisruptionBudget allows 0 disruptions now: ${stage}`,
    evidence: evidence(pdb),
    remedy: unhealthy
      ? `fix the ${pdb.desiredHealthy - pdb.currentHealthy} missing healthy pod(s) (currentHealthy ${pdb.currentHealthy} < desiredHealthy ${pdb.desiredHealthy}), or relax the PDB, then re-run the pre-flight`
      : 'scale the workload above minAvailable, or relax the PDB (lower minAvailable, or maxUnavailable of 1 or more), then re-run the pre-flight',
  }];
}

/** The PDB findings of one hop. Pure; `undefined` (checks not enabled) gives none. */
export function checkPodDisruptionBudgets(observation: PdbObservation | undefined, hop: HopContext): Finding[] {
  if (observation === undefined) return [];
  if ('error' in observation) {
    return [{
      check: 'pdb-unreadable',
      severity: 'WARN',
      resource: 'cluster',
      message: 'PodDisruptionBudgets not checked: the cluster API could not be read',
      evidence: observation.error,
      remedy: observation.remedy ?? PDB_UNREADABLE_REMEDY,
    }];
  }
  const items = Array.isArray(observation) ? observation : observation.items;
  const findings = items.flatMap((pdb) => checkOne(pdb, hop));
  if (!Array.isArray(observation)) {
    findings.push({
      check: 'pdb-truncated',
      severity: 'WARN',
      resource: 'cluster',
      message: `only the first ${observation.truncatedAt} PodDisruptionBudgets were checked`,
      evidence: `the cluster has more than ${observation.truncatedAt} PodDisruptionBudgets`,
      remedy: 'check the others with: kubectl get pdb -A (ALLOWED DISRUPTIONS 0 stops a node-group update)',
    });
  }
  return findings;
}
