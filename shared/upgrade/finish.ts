import { logger } from '../middleware/observability.ts';
import { ABORTED_ERROR } from './approval/decision.ts';
import { clusterOfFailedStart } from './failed-start.ts';
import { releaseLock } from './lock.ts';
import { abortedNotification, completionNotification, failureNotification, pausedNotification, refusedNotification } from './report.ts';
import type { FinishEvent } from './run-state.ts';
import { lockClient, type UpgradeDeps } from './clients.ts';
import { lockOf } from './lock.ts';

export type UpgradeOutcome = 'complete' | 'deferred' | 'paused' | 'failed' | 'refused' | 'aborted';

/** Errors whose task already told Slack everything (it had the details): Finish only ends the run. */
const REPORTED_BY_TASK = new Set(['UpgradeBlockedError', 'UpgradeStageFailedError']);

/**
 * The last task, whatever happened: release the lock (only if this execution holds it), and report the
 * outcome: completion with the timeline, a refused start, or a failure the failing task could not report.
 */
export async function finishUpgrade(event: FinishEvent, deps: UpgradeDeps): Promise<{ outcome: UpgradeOutcome; error?: string }> {
  const { run, error } = event.state;
  const cluster = run?.cluster ?? clusterOfFailedStart(event.state, deps);
  if (cluster && deps.env.UPGRADE_LOCK_TABLE) await releaseLock(lockClient(deps), lockOf(deps, cluster, event.executionName));
  const name = cluster?.name ?? 'unknown cluster';
  const now = deps.clock.now().toISOString();

  if (error) {
    logger.warn('upgrade ended with an error', { cluster: name, error: error.Error });
    if (error.Error === 'UpgradeLockedError') {
      await deps.notifier.send(refusedNotification(name, causeMessage(error.Cause)));
      return { outcome: 'refused', error: error.Error };
    }
    if (error.Error === ABORTED_ERROR) {
      await deps.notifier.send(abortedNotification(name, causeMessage(error.Cause)));
      return { outcome: 'aborted', error: error.Error };
    }
    if (!REPORTED_BY_TASK.has(error.Error)) {
      await deps.notifier.send(failureNotification(name, `${run?.current?.label ?? 'the upgrade'} stopped: ${error.Error}`, [{ code: error.Error, message: causeMessage(error.Cause), remedy: remedyForRunError(error.Error) }]));
    }
    return { outcome: 'failed', error: error.Error };
  }
  if (run?.step.action === 'deferred') return { outcome: 'deferred' };
  if (run?.step.action === 'paused' && run.step.pause) {
    await deps.notifier.send(pausedNotification(name, run.target, run.step.pause, run.timeline, run.startedAt, now));
    return { outcome: 'paused' };
  }
  // A window that found the cluster already at its target says nothing: every window would otherwise post.
  if (run && run.timeline.length > 0) await deps.notifier.send(completionNotification(name, run.target, run.timeline, run.startedAt, now, run.fargateProfiles ?? [], run.approval.answer?.by));
  else logger.info('nothing to upgrade', { cluster: name, target: run?.target });
  return { outcome: 'complete' };
}

function remedyForRunError(name: string): string {
  switch (name) {
    case 'ClusterGoneError':
      return 'the cluster was deleted: remove it from the configuration';
    case 'InvalidUpgradeInputError':
      return 'fix the schedule input or the configuration';
    default:
      return 'see the execution history; a re-run resumes from the cluster state';
  }
}

/** A Lambda error's Cause is the JSON Lambda reports ({ errorMessage, errorType, … }); show its message. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
