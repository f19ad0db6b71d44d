import { StartInsightsRefreshCommand } from '@aws-sdk/client-eks';
import { logger } from '../middleware/observability.ts';
import { startStage } from './act.ts';
import { expectedDuration, nextPollSeconds } from './durations.ts';
import { UpgradeBlockedError } from './errors.ts';
import { hopHistory } from './hop-history.ts';
import { observeCluster } from './observe.ts';
import { nextStep } from './plan.ts';
import { blockedNotification, deferralNotification } from './report.ts';
import type { RunState, StageChange } from './run-state.ts';
import { clusterUpgradeConfig, type UpgradeSettings } from './settings.ts';
import { describeStage, type Stage } from './stage.ts';
import { type UpgradeClients, type UpgradeDeps, upgradeClients } from './clients.ts';
import { fitsInWindow, secondsLeft } from './window.ts';

/** An on-demand insights refresh: minutes (EKS gives no figure; the sandbox takes 2). */
const INSIGHTS_REFRESH = { typicalSeconds: 2 * 60, worstSeconds: 15 * 60 };
/**
 * A hop's next control-plane stage, decided as the previous hop ended, is started by the next child without
 * observing the cluster again when that child starts within this time (the parent starts it at once); a
 * later start (the child retried, throttled) observes and decides afresh.
 */
const DECIDED_HOP_TTL_MS = 5 * 60_000;
/** Adopted updates (not started by this step) are polled as often as a node-group wave. */
const ADOPTED_DURATION = { typicalSeconds: 10 * 60, worstSeconds: 60 * 60 };

/**
 * Observe → decide → act for the next stage: recompute from what the cluster reports, check that the
 * stage fits in what is left of the window, start it, and say how long to wait before the first poll.
 */
export async function advanceUpgrade(run: RunState, deps: UpgradeDeps): Promise<RunState> {
  const now = deps.clock.now();
  const clients = upgradeClients(deps, run.cluster);
  const settings = clusterUpgradeConfig(deps.config, run.cluster.name, run.cluster.region)?.settings ?? deps.config.upgrade.defaults;
  const decided = run.step.action === 'hop-done' ? run.step.next : undefined;
  if (decided && now.getTime() - Date.parse(decided.decidedAt) <= DECIDED_HOP_TTL_MS) return startDecidedStage(run, decided.stage, { clients, settings, deps, now });
  const snapshot = await observeCluster(clients, run.cluster.name, { now, requested: run.target, ...(settings.kubernetesChecks ? { kubernetes: { clock: deps.clock } } : {}) });
  const history = hopHistory(snapshot, run.timeline, run.insightsRefreshedFor);
  let step = nextStep(snapshot, settings, run.target, now, history);
  // Insights are refreshed once per hop, inside the window; if that cannot be, the hop waits for the next window.
  if (step.action === 'refresh-insights' && (deps.config.dryRun || !fitsInWindow(run.window, now, INSIGHTS_REFRESH.worstSeconds) || !(await startInsightsRefresh(clients, run.cluster.name)))) {
    step = nextStep(snapshot, settings, run.target, now, { ...history, insightsRefreshedFor: step.hop.to });
  }
  switch (step.action) {
    case 'complete':
      return { ...run, current: undefined, step: { action: 'complete' } };
    case 'pause':
      logger.info('next hop paused', { cluster: run.cluster.name, reason: step.pause.reason, hop: step.pause.hop });
      return { ...run, current: undefined, step: { action: 'paused', pause: step.pause } };
    case 'refresh-insights': {
      const label = `insights refresh before ${step.hop.from} → ${step.hop.to}`;
      logger.info('insights predate the previous hop: refreshing them', { cluster: run.cluster.name, hop: step.hop, stale: step.stale.map((insight) => insight.id) });
      return {
        ...run,
        insightsRefreshedFor: step.hop.to,
        current: { label, updates: [{ id: 'insights-refresh', insightsRefresh: true }], startedAt: now.toISOString(), polls: 0, ...INSIGHTS_REFRESH },
        step: { action: 'started', waitSeconds: nextPollSeconds(INSIGHTS_REFRESH, 0, 0) },
      };
    }
    case 'blocked':
      await deps.notifier.send(blockedNotification(run.cluster.name, step.hop, step.findings));
      throw new UpgradeBlockedError(`pre-flight blocks ${step.hop.from} → ${step.hop.to}: ${step.findings.filter((finding) => finding.severity === 'BLOCK').map((finding) => `${finding.check} (${finding.resource})`).join(', ')}`);
    case 'await-running': {
      const label = `updates already running: ${step.updates.map((update) => update.nodegroup ?? update.addon ?? (update.autoScalingGroup ? `instance refresh of ${update.autoScalingGroup}` : 'cluster')).join(', ')}`;
      logger.info('adopting running updates', { cluster: run.cluster.name, updates: step.updates });
      return {
        ...run,
        current: {
          label,
          updates: step.updates.map((update) => ({ id: update.id, ...(update.nodegroup ? { nodegroup: update.nodegroup } : {}), ...(update.addon ? { addon: update.addon } : {}), ...(update.autoScalingGroup ? { autoScalingGroup: update.autoScalingGroup } : {}) })),
          startedAt: now.toISOString(),
          polls: 0,
          ...ADOPTED_DURATION,
        },
        step: { action: 'started', waitSeconds: nextPollSeconds(ADOPTED_DURATION, 0, 0) },
      };
    }
    case 'start':
      // A hop's stages run in one child execution: the next hop's control plane is left to a new one, which
      // starts the stage decided here (a child started for a new hop sees begun or hop-done, and may start it).
      if (step.stage.kind === 'control-plane' && run.step.action === 'done') return { ...run, current: undefined, step: { action: 'hop-done', next: { stage: step.stage, decidedAt: now.toISOString() } } };
      return startDecidedStage(run, step.stage, { clients, settings, deps, now });
  }
}

interface StartContext {
  clients: UpgradeClients;
  settings: UpgradeSettings;
  deps: UpgradeDeps;
  now: Date;
}

/** Starts a stage nextStep chose (pre-flight passed), if the window still holds its worst case. */
async function startDecidedStage(run: RunState, stage: Stage, { clients, settings, deps, now }: StartContext): Promise<RunState> {
  const duration = expectedDuration(stage);
  const label = describeStage(stage);
  if (!fitsInWindow(run.window, now, duration.worstSeconds)) {
    await deps.notifier.send(deferralNotification(run.cluster.name, stage, duration.worstSeconds, secondsLeft(run.window, now)));
    return { ...run, current: undefined, timeline: [...run.timeline, { stage: label, change: stageChange(stage), startedAt: now.toISOString(), outcome: 'deferred' }], step: { action: 'deferred' } };
  }
  // Lifecycle-action events of another account stay on that account's bus, where no nodeDrain listens.
  const drainSelfManaged = run.cluster.accountId === undefined;
  if (stage.kind === 'self-managed' && !drainSelfManaged) logger.warn('self-managed nodes of a cluster in another account are replaced without a drain', { cluster: run.cluster.name, account: run.cluster.accountId });
  const updates = await startStage(clients, run.cluster.name, stage, settings, run.runId, { drainSelfManaged });
  logger.info('stage started', { cluster: run.cluster.name, stage: label, updates });
  return {
    ...run,
    current: { stage, label, updates, startedAt: now.toISOString(), polls: 0, ...duration },
    timeline: [...run.timeline, { stage: label, change: stageChange(stage), startedAt: now.toISOString(), outcome: 'running' }],
    step: { action: 'started', waitSeconds: nextPollSeconds(duration, 0, 0) },
  };
}

/** The stage as data in the timeline: its kind, and the versions of a hop. */
function stageChange(stage: Stage): StageChange {
  return stage.kind === 'control-plane' ? { kind: stage.kind, from: stage.from, to: stage.to } : { kind: stage.kind };
}

/**
 * StartInsightsRefresh: EKS re-evaluates the cluster's insights outside its daily schedule. A refusal (no
 * permission in an older deployment, a region without it) is logged, and the hop waits for the daily refresh.
 */
async function startInsightsRefresh(clients: UpgradeClients, clusterName: string): Promise<boolean> {
  try {
    await clients.eks.send(new StartInsightsRefreshCommand({ clusterName }));
    return true;
  } catch (error) {
    logger.warn('could not start an insights refresh; EKS refreshes them daily', { cluster: clusterName, error });
    return false;
  }
}
