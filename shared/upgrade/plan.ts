import { blocking, type Finding, preflight } from './checks/index.ts';
import type { UpgradeSettings } from './settings.ts';
import { selfManagedChange } from './self-managed.ts';
import type { ClusterSnapshot, InsightSnapshot, NodegroupSnapshot } from './snapshot.ts';
import type { NodegroupChange, Stage } from './stage.ts';
import { addonChanges, preHopAddonChanges } from './addon-steps.ts';
import { type HopHistory, staleInsights } from './hop-history.ts';
import type { Pause } from './run-state.ts';
import { compareMinor, nextMinor } from './versions.ts';

/**
 * The upgrade's decisions, pure functions of what the cluster reports now. Nothing is remembered between
 * stages: each step recomputes from the live state, so a run resumed in the next window, or re-run after a
 * failure, picks up exactly where the cluster is.
 *
 * Order per hop: pre-flight → add-ons the target does not list, to a version listed for both → control plane → add-ons except kube-proxy → managed node groups (canary, then
 * waves) → self-managed groups (instance refresh, when upgrade.refreshSelfManaged opts in) → kube-proxy → next
 * hop. Add-ons and node groups that lag the control plane are brought level before the next hop, which EKS
 * requires of node groups anyway.
 */
export type NextStep =
  | { action: 'start'; stage: Stage; findings: Finding[] }
  | { action: 'blocked'; hop: { from: string; to: string }; findings: Finding[] }
  /** The next hop waits for a later window: this window's hops are done, the last hop bakes, or its insights are stale. */
  | { action: 'pause'; pause: Pause; findings: Finding[] }
  /** The insights that gate the hop predate the previous hop: ask EKS to evaluate them now (once per hop), then decide. */
  | { action: 'refresh-insights'; hop: { from: string; to: string }; stale: InsightSnapshot[] }
  /** Updates are already running (started by an earlier run, or by someone else): wait for them. */
  | { action: 'await-running'; updates: ClusterSnapshot['runningUpdates'] }
  | { action: 'complete'; version: string };

const KUBE_PROXY = 'kube-proxy';
const HOUR_MS = 3600_000;

/**
 * The next stage, from the live cluster, its target (target.ts) and the hops already made (hop-history.ts). At a hop
 * boundary, in this order: the window's hops (upgrade.hopsPerWindow), the bake period of the previous hop (only
 * for a window's first hop: hops within one window give it up), the freshness of the insights that gate the hop,
 * then the pre-flight.
 */
export function nextStep(cluster: ClusterSnapshot, settings: UpgradeSettings, target: string, now: Date, history: HopHistory): NextStep {
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
  const hop = { from: cluster.version, to: nextMinor(cluster.version) };
  const pause = hopPause(cluster, settings, hop, now, history);
  if (pause?.reason === 'insights-stale' && history.insightsRefreshedFor !== hop.to) return { action: 'refresh-insights', hop, stale: staleInsights(cluster.insights, hop.to, history.previousHopEndedAt) };
  if (pause) return { action: 'pause', pause, findings: [] };
  const findings = preflight(cluster, { ...hop, now, refreshSelfManaged: settings.refreshSelfManaged, insightOverrides: settings.insightOverrides });
  if (blocking(findings).length > 0) return { action: 'blocked', hop, findings };
  // Add-ons the target does not list move first, to a version listed for both (one step per stage, recomputed).
  const preHop = preHopAddonChanges(cluster, hop.to);
  if (preHop.changes.length > 0) return { action: 'start', stage: { kind: 'addons', clusterVersion: cluster.version, addons: preHop.changes }, findings: [] };
  return { action: 'start', stage: { kind: 'control-plane', from: hop.from, to: hop.to }, findings };
}

function hopPause(cluster: ClusterSnapshot, settings: UpgradeSettings, hop: { from: string; to: string }, now: Date, history: HopHistory): Pause | undefined {
  if (history.hopsThisWindow >= settings.hopsPerWindow) {
    return { reason: 'hops-per-window', hop, message: `this window did ${history.hopsThisWindow} hop(s), as many as upgrade.hopsPerWindow (${settings.hopsPerWindow}) allows: ${hop.from} → ${hop.to} waits for the next window` };
  }
  const ended = history.previousHopEndedAt ? Date.parse(history.previousHopEndedAt) : Number.NaN;
  if (history.hopsThisWindow === 0 && Number.isFinite(ended) && now.getTime() < ended + settings.bakeHours * HOUR_MS) {
    const notBefore = new Date(ended + settings.bakeHours * HOUR_MS).toISOString();
    return { reason: 'bake', hop, notBefore, message: `${hop.from} bakes for ${settings.bakeHours} h after its hop (finished by ${history.previousHopEndedAt}) before ${hop.from} → ${hop.to}: not before ${notBefore} (upgrade.bakeHours)` };
  }
  const stale = staleInsights(cluster.insights, hop.to, history.previousHopEndedAt);
  if (stale.length > 0) {
    return {
      reason: 'insights-stale',
      hop,
      message: `${stale.length} upgrade insight(s) for ${hop.to} or below were last evaluated before the previous hop finished (${history.previousHopEndedAt}), so they describe the cluster at an older version: ${stale
        .slice(0, 5)
        .map((insight) => `${insight.name} (${insight.kubernetesVersion}, ${insight.status}, refreshed ${insight.lastRefreshTime ?? 'never'})`)
        .join('; ')}. An on-demand refresh (StartInsightsRefresh) did not bring them up to date; EKS refreshes them about every 24 hours, and the next window checks again`,
    };
  }
  return undefined;
}

/** The plan: every stage to the target assuming each succeeds, and how many of them this window does. */
export interface UpgradePlan {
  stages: Stage[];
  findings: Finding[];
  blockedAt?: { from: string; to: string };
  /** The first `thisWindow` stages are this window's; the rest wait for later windows (`pause` says why). */
  thisWindow: number;
  /** Where each later window's stages begin (indices into `stages`), as the run will split them. */
  laterWindows: number[];
  pause?: Pause;
}

/**
 * Every stage from here to the target, assuming each succeeds: what `eksops upgrade plan` prints and the start
 * notification shows, decided by the same nextStep as each step of the run. Later hops are simulated on a copy of
 * the snapshot: a simulated hop leaves the insights stale (EKS has not re-evaluated them), and a later window is
 * assumed to find them re-evaluated and passing, which that window's pre-flight checks for real.
 */
export function planUpgrade(cluster: ClusterSnapshot, settings: UpgradeSettings, target: string, now: Date, history: HopHistory = { hopsThisWindow: 0 }): UpgradePlan {
  let state = structuredClone(cluster);
  state.runningUpdates = [];
  let simulated: HopHistory = { ...history };
  const stages: Stage[] = [];
  const findings: Finding[] = [];
  let pause: Pause | undefined;
  const laterWindows: number[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const step = nextStep(state, settings, target, now, simulated);
    if (step.action === 'complete' || step.action === 'await-running') break;
    if (step.action === 'blocked') return { stages, findings: [...findings, ...step.findings], blockedAt: step.hop, thisWindow: laterWindows[0] ?? stages.length, laterWindows, ...(pause ? { pause } : {}) };
    if (step.action === 'refresh-insights') {
      // The run asks EKS to re-evaluate them and waits in the window; the plan assumes they come back passing.
      simulated = { ...simulated, insightsRefreshedFor: step.hop.to };
      state.insights = [];
      continue;
    }
    if (step.action === 'pause') {
      // A later window: its first hop, the bake assumed over, the insights assumed re-evaluated.
      pause ??= step.pause;
      laterWindows.push(stages.length);
      if (simulated.hopsThisWindow === 0 && !simulated.previousHopEndedAt) break;
      simulated = { hopsThisWindow: 0 };
      state.insights = [];
      continue;
    }
    findings.push(...step.findings);
    stages.push(step.stage);
    state = applyStage(state, step.stage);
    if (step.stage.kind === 'control-plane') simulated = { hopsThisWindow: simulated.hopsThisWindow + 1, previousHopEndedAt: now.toISOString() };
  }
  return { stages, findings, thisWindow: laterWindows[0] ?? stages.length, laterWindows, ...(pause ? { pause } : {}) };
}

/** The version the cluster is at once this window's stages are done. */
export function windowReaches(from: string, plan: UpgradePlan): string {
  const hops = plan.stages.slice(0, plan.thisWindow).filter((stage) => stage.kind === 'control-plane');
  return hops.at(-1)?.to ?? from;
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
