import type { ExecutionResult } from '../../local/stepfunctions/runner.ts';

/**
 * What a run's state transitions are compared with. Both baselines are computed from the same run's stages
 * and their real (virtual-time) durations, so the ratios say what the polling design costs, not luck.
 *
 * The hop's child execution (cluster-upgrade-hop) spends per stage: Advance, AfterAdvance (start), then per
 * poll WaitForStage, Poll, AfterPoll (check); plus a last Advance, AfterAdvance and HopEnded. The parent
 * (cluster-upgrade) spends Begin, AnythingToDo, RunHop, AfterHop, Finish, Outcome and Ended. The bench runs
 * one hop, so one child.
 */
export const FIXED_TRANSITIONS = 7 + 3;
export const START_TRANSITIONS = 2;
export const CHECK_TRANSITIONS = 3;
const FIXED_POLL_SECONDS = 30;

export interface StageRun {
  stage: string;
  durationSeconds: number;
}

/** Stages of the run, with how long each took, from the Poll tasks' outputs in its (and its children's) histories. */
export function stagesOf(execution: ExecutionResult): StageRun[] {
  const runs: StageRun[] = execution.childExecutions.flatMap(stagesOf);
  for (const event of execution.history) {
    if (event.type !== 'StateExited' || event.stateName !== 'Poll') continue;
    const run = (event.output as { run?: { step?: { action?: string }; timeline?: { stage: string; startedAt: string; endedAt?: string }[] } } | undefined)?.run;
    if (run?.step?.action !== 'done') continue;
    const last = run.timeline?.at(-1);
    if (last?.endedAt) runs.push({ stage: last.stage, durationSeconds: (Date.parse(last.endedAt) - Date.parse(last.startedAt)) / 1000 });
  }
  return runs;
}

/** The least the plan needs: one start and one completion check per stage. */
export function minimumTransitions(stages: readonly StageRun[]): number {
  return FIXED_TRANSITIONS + stages.length * (START_TRANSITIONS + CHECK_TRANSITIONS);
}

/** The same machine polling every 30 seconds, whatever the stage. */
export function fixedPollTransitions(stages: readonly StageRun[]): number {
  return FIXED_TRANSITIONS + stages.reduce((sum, stage) => sum + START_TRANSITIONS + Math.max(1, Math.ceil(stage.durationSeconds / FIXED_POLL_SECONDS)) * CHECK_TRANSITIONS, 0);
}
