import { ResourceNotFoundException } from '@aws-sdk/client-eks';
import { logger } from '../middleware/observability.ts';
import { pollUpdates, type UpdateOutcome } from './update-status.ts';
import { nextPollSeconds } from './durations.ts';
import { ClusterGoneError, UpgradeStageFailedError } from './errors.ts';
import { controlPlaneRollback, remedyFor } from './remedies.ts';
import { failureNotification, stageDoneNotification } from './report.ts';
import type { RunState, TimelineEntry } from './run-state.ts';
import { type UpgradeDeps, upgradeClients } from './clients.ts';

/**
 * Checks the running stage's updates (DescribeUpdate, DescribeInstanceRefreshes: no completion event reaches
 * the run). All Successful: the stage is done and Slack hears how long it took. One Failed: the run stops at
 * this stage with the error codes and what to do about them. Otherwise: the next wait, longer the later it gets.
 */
export async function pollUpgrade(run: RunState, deps: UpgradeDeps): Promise<RunState> {
  const current = run.current;
  if (!current) return { ...run, step: { action: 'done' } };
  const now = deps.clock.now();
  let outcomes;
  try {
    outcomes = await pollUpdates(upgradeClients(deps, run.cluster), run.cluster.name, current.updates);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new ClusterGoneError(`cluster ${run.cluster.name} or its update disappeared during ${current.label}`, { cause: error });
    throw error;
  }
  const failed = outcomes.filter((outcome) => outcome.status === 'Failed' || outcome.status === 'Cancelled');
  const endedTimeline = (outcome: TimelineEntry['outcome']): TimelineEntry[] =>
    run.timeline.map((entry, index) => (index === run.timeline.length - 1 && entry.outcome === 'running' ? { ...entry, endedAt: now.toISOString(), outcome } : entry));

  if (failed.length > 0 && outcomes.every((outcome) => outcome.status !== 'InProgress')) {
    const errors = failed.flatMap((outcome) =>
      (outcome.errors.length > 0 ? outcome.errors : [{ errorMessage: `update ${outcome.update.id} ended ${outcome.status}` } satisfies UpdateOutcome['errors'][number]]).map((detail) => ({
        code: detail.errorCode ?? outcome.status,
        message: `${outcome.update.nodegroup ?? outcome.update.addon ?? (outcome.update.autoScalingGroup ? `autoscaling/${outcome.update.autoScalingGroup}` : 'control plane')}: ${detail.errorMessage ?? ''}${detail.resourceIds?.length ? ` (${detail.resourceIds.join(', ')})` : ''}`,
        remedy: remedyFor(detail.errorCode ?? ''),
      })),
    );
    const previous = run.timeline.findLast((entry) => entry.change?.kind === 'control-plane' && entry.outcome === 'done')?.change?.from;
    const extra = previous ? [`Control plane rollback, if needed: ${controlPlaneRollback(run.cluster.name, previous)}`] : [];
    await deps.notifier.send(failureNotification(run.cluster.name, `${current.label} failed after ${Math.round((now.getTime() - Date.parse(current.startedAt)) / 60_000)} min. The run stops here; a re-run resumes from the cluster's state.`, errors, extra));
    logger.error('stage failed', { cluster: run.cluster.name, stage: current.label, errors });
    throw new UpgradeStageFailedError(`${current.label}: ${errors.map((error) => error.code).join(', ')}`);
  }
  if (outcomes.every((outcome) => outcome.status === 'Successful')) {
    if (current.stage) await deps.notifier.send(stageDoneNotification(run.cluster.name, current.stage, current.startedAt, now.toISOString()));
    return { ...run, current: undefined, timeline: current.stage ? endedTimeline('done') : run.timeline, step: { action: 'done' } };
  }
  const polls = current.polls + 1;
  const elapsed = (now.getTime() - Date.parse(current.startedAt)) / 1000;
  return { ...run, current: { ...current, polls }, step: { action: 'running', waitSeconds: nextPollSeconds(current, elapsed, polls) } };
}
