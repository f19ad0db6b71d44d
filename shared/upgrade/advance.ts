import { logger } from '../middleware/observability.ts';
import { startStage } from './act.ts';
import { expectedDuration, nextPollSeconds } from './durations.ts';
import { UpgradeBlockedError } from './errors.ts';
import { observeCluster } from './observe.ts';
import { nextStep } from './plan.ts';
import { blockedNotification, deferralNotification } from './report.ts';
import type { RunState } from './run-state.ts';
import { clusterUpgradeConfig } from './settings.ts';
import { describeStage } from './stage.ts';
import { type UpgradeDeps, upgradeClients } from './upgrade-deps.ts';
import { fitsInWindow, secondsLeft } from './window.ts';

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
  const snapshot = await observeCluster(clients, run.cluster.name, { now, upTo: run.target, ...(settings.kubernetesChecks ? { kubernetes: { clock: deps.clock } } : {}) });
  const step = nextStep(snapshot, settings, run.target, now);
  switch (step.action) {
    case 'complete':
      return { ...run, current: undefined, step: { action: 'complete' } };
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
    case 'start': {
      // A hop's stages run in one child execution: the next hop's control plane is left to a new one. (A child
      // started for a new hop sees begun or hop-done here, and may start it.)
      if (step.stage.kind === 'control-plane' && run.step.action === 'done') return { ...run, current: undefined, step: { action: 'hop-done' } };
      const duration = expectedDuration(step.stage);
      const label = describeStage(step.stage);
      if (!fitsInWindow(run.window, now, duration.worstSeconds)) {
        await deps.notifier.send(deferralNotification(run.cluster.name, step.stage, duration.worstSeconds, secondsLeft(run.window, now)));
        return { ...run, current: undefined, timeline: [...run.timeline, { stage: label, startedAt: now.toISOString(), outcome: 'deferred' }], step: { action: 'deferred' } };
      }
      const updates = await startStage(clients, run.cluster.name, step.stage, settings, run.runId);
      logger.info('stage started', { cluster: run.cluster.name, stage: label, updates });
      return {
        ...run,
        current: { stage: step.stage, label, updates, startedAt: now.toISOString(), polls: 0, ...duration },
        timeline: [...run.timeline, { stage: label, startedAt: now.toISOString(), outcome: 'running' }],
        step: { action: 'started', waitSeconds: nextPollSeconds(duration, 0, 0) },
      };
    }
  }
}
