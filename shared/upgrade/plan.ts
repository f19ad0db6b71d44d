import { blocking, type Finding, preflight } from './checks/index.ts';
import type { UpgradeSettings } from './settings.ts';
import { selfManagedChange } from './self-managed.ts';
import type { ClusterSnapshot, NodegroupSnapshot } from './snapshot.ts';
import type { NodegroupChange, Stage } from './stage.ts';
import { addonChanges } from './addon-steps.ts';
import { compareMinor, nextMinor } from './versions.ts';

/**
 * The upgrade's decisions, pure functions of what the cluster reports now. Nothing is remembered between
 * stages: each step recomputes from the live state, so a run resumed in the next window, or re-run after a
 * failure, picks up exactly where the cluster is.
 *
 * Order per hop: pre-flight → control plane → add-ons except kube-proxy → managed node groups (canary, then
 * waves) → self-managed groups (instance refresh, when upgrade.refreshSelfManaged opts in) → kube-proxy → next
 * hop. Add-ons and node groups that lag the control plane are brought level before the next hop, which EKS
 * requires of node groups anyway.
 */
export type NextStep =
  | { action: 'start'; stage: Stage; findings: Finding[] }
  | { action: 'blocked'; hop: { from: string; to: string }; findings: Finding[] }
  /** Updates are already running (started by an earlier run, or by someone else): wait for them. */
  | { action: 'await-running'; updates: ClusterSnapshot['runningUpdates'] }
  | { action: 'complete'; version: string };

const KUBE_PROXY = 'kube-proxy';

/** The version the run stops at: the configured target, else the newest EKS offers. */
export function finalTarget(cluster: ClusterSnapshot, requested: string | undefined): string {
  if (requested) return requested;
  return cluster.offeredVersions.map((offered) => offered.version).sort(compareMinor).at(-1) ?? cluster.version;
}

export function nextStep(cluster: ClusterSnapshot, settings: UpgradeSettings, target: string, now: Date): NextStep {
  if (cluster.runningUpdates.length > 0) return { action: 'await-running', updates: cluster.runningUpdates };
  const addons = addonChanges(cluster, (name) => name !== KUBE_PROXY);
  if (addons.length > 0) return { action: 'start', stage: { kind: 'addons', clusterVersion: cluster.version, addons }, findings: [] };
  const wave = nodegroupWave(cluster, settings);
  if (wave) return { action: 'start', stage: wave, findings: [] };
  const refresh = settings.refreshSelfManaged ? selfManagedWave(cluster, settings) : undefined;
  if (refresh) return { action: 'start', stage: refresh, findings: [] };
  const kubeProxy = addonChanges(cluster, (name) => name === KUBE_PROXY);
  if (kubeProxy.length > 0) return { action: 'start', stage: { kind: 'kube-proxy', clusterVersion: cluster.version, addons: kubeProxy }, findings: [] };
  if (compareMinor(cluster.version, target) >= 0) return { action: 'complete', version: cluster.version };
  const hop = { from: cluster.version, to: nextMinor(cluster.version), now, refreshSelfManaged: settings.refreshSelfManaged };
  const findings = preflight(cluster, hop);
  if (blocking(findings).length > 0) return { action: 'blocked', hop: { from: hop.from, to: hop.to }, findings };
  return { action: 'start', stage: { kind: 'control-plane', from: hop.from, to: hop.to }, findings };
}

/**
 * Every stage from here to the target, assuming each succeeds: what `eksops upgrade plan` prints and the
 * start notification shows. Later hops are simulated on a copy of the snapshot.
 */
export function planUpgrade(cluster: ClusterSnapshot, settings: UpgradeSettings, target: string, now: Date): { stages: Stage[]; findings: Finding[]; blockedAt?: { from: string; to: string } } {
  let state = structuredClone(cluster);
  state.runningUpdates = [];
  const stages: Stage[] = [];
  const findings: Finding[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const step = nextStep(state, settings, target, now);
    if (step.action === 'complete' || step.action === 'await-running') break;
    if (step.action === 'blocked') return { stages, findings: [...findings, ...step.findings], blockedAt: step.hop };
    findings.push(...step.findings);
    stages.push(step.stage);
    state = applyStage(state, step.stage);
  }
  return { stages, findings };
}

/** The snapshot as it will be once the stage succeeded. */
export function applyStage(cluster: ClusterSnapshot, stage: Stage): ClusterSnapshot {
  const next = structuredClone(cluster);
  switch (stage.kind) {
    case 'control-plane':
      next.version = stage.to;
      break;
    case 'addons':
    case 'kube-proxy':
      for (const change of stage.addons) {
        const addon = next.addons.find((candidate) => candidate.name === change.name);
        if (addon) addon.version = change.to;
      }
      break;
    case 'nodegroups':
      for (const change of stage.nodegroups) {
        const nodegroup = next.nodegroups.find((candidate) => candidate.name === change.name);
        if (nodegroup) nodegroup.version = change.to;
      }
      break;
    case 'self-managed':
      for (const change of stage.groups) {
        const group = next.selfManagedGroups.find((candidate) => candidate.name === change.name);
        if (!group?.launchTemplate?.ami) continue;
        group.launchTemplate.imageId = change.toImage;
        group.launchTemplate.ami.kubernetesVersion = stage.clusterVersion;
        group.outdatedInstances = 0;
      }
      break;
  }
  return next;
}

function nodegroupWave(cluster: ClusterSnapshot, settings: UpgradeSettings): Stage | undefined {
  const behind = cluster.nodegroups.filter((nodegroup) => compareMinor(nodegroup.version, cluster.version) < 0).sort((a, b) => a.name.localeCompare(b.name));
  if (behind.length === 0) return undefined;
  const canary = behind.find((nodegroup) => nodegroup.name === settings.canaryNodegroup);
  if (canary) return { kind: 'nodegroups', clusterVersion: cluster.version, wave: 'canary', nodegroups: [nodegroupChange(canary, cluster.version)] };
  return { kind: 'nodegroups', clusterVersion: cluster.version, wave: 'wave', nodegroups: behind.slice(0, settings.nodegroupMaxConcurrency).map((nodegroup) => nodegroupChange(nodegroup, cluster.version)) };
}

/** Self-managed groups behind the recommended AMI of the cluster's version, as many at a time as managed node groups. */
function selfManagedWave(cluster: ClusterSnapshot, settings: UpgradeSettings): Stage | undefined {
  const groups = cluster.selfManagedGroups.flatMap((group) => selfManagedChange(group, cluster.version) ?? []);
  if (groups.length === 0) return undefined;
  return { kind: 'self-managed', clusterVersion: cluster.version, groups: groups.slice(0, settings.nodegroupMaxConcurrency) };
}

function nodegroupChange(nodegroup: NodegroupSnapshot, to: string): NodegroupChange {
  return {
    name: nodegroup.name,
    from: nodegroup.version,
    to,
    customAmi: nodegroup.amiType === 'CUSTOM',
    desiredSize: nodegroup.desiredSize,
    ...(nodegroup.launchTemplate ? { launchTemplate: nodegroup.launchTemplate } : {}),
    ...(nodegroup.maxUnavailable !== undefined ? { maxUnavailable: nodegroup.maxUnavailable } : {}),
    ...(nodegroup.maxUnavailablePercentage !== undefined ? { maxUnavailablePercentage: nodegroup.maxUnavailablePercentage } : {}),
  };
}
