import { startSandbox } from '../../local/sandbox.ts';
import { totalStateTransitions } from '../../local/stepfunctions/runner.ts';
import { runUpgrade, seedUpgradeFleet, withUpgrades } from '../../local/scenarios/upgrade-fleet.ts';
import { preflight } from '../../shared/upgrade/checks/index.ts';
import { observeCluster } from '../../shared/upgrade/observe.ts';
import { upgradeClientsFor } from '../../shared/upgrade/clients.ts';
import { nextMinor } from '../../shared/upgrade/versions.ts';
import type { Figure } from '../figures.ts';
import type { BenchContext, BenchFailure, BenchGroup, GroupOutcome } from '../group.ts';
import { round } from '../stats.ts';
import { fixedPollTransitions, minimumTransitions, stagesOf } from '../upgrade/transitions.ts';
import { seeded, seedRealisticFleet } from '../upgrade/realistic-fleet.ts';

/** Runs of the one-hop upgrade, each with other (seeded) durations; the figure is their mean ratio. */
const HOP_RUNS = 5;
const PREFLIGHT_NODEGROUPS = 50;

export const upgradeGroup: BenchGroup = {
  name: 'upgrade',
  description: 'cluster-upgrade: state transitions vs the minimum and vs 30-second polling; pre-flight API calls for 50 node groups',
  async run(context: BenchContext): Promise<GroupOutcome> {
    const figures: Figure[] = [];
    const failures: BenchFailure[] = [];
    try {
      figures.push(...(await transitionFigures(context)));
    } catch (error) {
      failures.push({ subject: 'one hop, 4 add-ons, 10 node groups', message: error instanceof Error ? error.message : String(error) });
    }
    try {
      figures.push(await preflightFigure(context));
    } catch (error) {
      failures.push({ subject: `pre-flight, ${PREFLIGHT_NODEGROUPS} node groups`, message: error instanceof Error ? error.message : String(error) });
    }
    return { figures, failures };
  },
};

async function transitionFigures(context: BenchContext): Promise<Figure[]> {
  const samples: { actual: number; minimum: number; fixed: number; stages: number; hours: number }[] = [];
  for (let run = 0; run < HOP_RUNS; run++) {
    context.progress(`upgrade: one hop with 10 node groups, run ${run + 1}/${HOP_RUNS}`);
    const sandbox = await startSandbox({ configure: withUpgrades({ durationMinutes: 24 * 60, maxConcurrency: 3 }) });
    try {
      seedRealisticFleet(sandbox, 10, seeded(run + 1));
      const started = sandbox.aws.clock.now().getTime();
      const execution = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' });
      if (execution.status !== 'SUCCEEDED') throw new Error(`the upgrade ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
      const stages = stagesOf(execution);
      samples.push({ actual: totalStateTransitions(execution), minimum: minimumTransitions(stages), fixed: fixedPollTransitions(stages), stages: stages.length, hours: (sandbox.aws.clock.now().getTime() - started) / 3600_000 });
    } finally {
      await sandbox.close();
    }
  }
  const mean = (pick: (sample: (typeof samples)[number]) => number) => samples.reduce((sum, sample) => sum + pick(sample), 0) / samples.length;
  const detail = { runs: samples.length, transitions: round(mean((sample) => sample.actual), 1), minimum: round(mean((sample) => sample.minimum), 1), fixed_30s_poll: round(mean((sample) => sample.fixed), 1), stages: round(mean((sample) => sample.stages), 1), virtual_hours: round(mean((sample) => sample.hours), 2), per_run: samples };
  return [
    { id: 'upgrade.transitions_vs_min', value: round(mean((sample) => sample.actual / sample.minimum), 3), unit: '×', better: 'lower', baseline: 'a start and one completion check per stage of the same run (computed from its stages)', detail },
    { id: 'upgrade.transitions_vs_fixed_poll', value: round(mean((sample) => sample.actual / sample.fixed), 3), unit: '×', better: 'lower', baseline: 'the same stages polled every 30 seconds (their durations in the same run)', detail },
  ];
}

async function preflightFigure(context: BenchContext): Promise<Figure> {
  context.progress(`upgrade: pre-flight of a cluster with ${PREFLIGHT_NODEGROUPS} node groups`);
  const measure = async (nodegroups: number) => {
    const sandbox = await startSandbox({ configure: withUpgrades() });
    try {
      seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups });
      const clients = upgradeClientsFor(sandbox.aws.clients, sandbox.aws.here);
      const before = sandbox.aws.account.calls.length;
      const started = performance.now();
      const snapshot = await observeCluster(clients, 'prod-eu', { now: sandbox.aws.clock.now() });
      const findings = preflight(snapshot, { from: snapshot.version, to: nextMinor(snapshot.version), now: sandbox.aws.clock.now() });
      return { calls: sandbox.aws.account.calls.length - before, ms: performance.now() - started, findings: findings.length };
    } finally {
      await sandbox.close();
    }
  };
  const baseline = await measure(1);
  const large = await measure(PREFLIGHT_NODEGROUPS);
  // The least a pre-flight can read: what a one-group cluster needs, plus one DescribeNodegroup per extra group.
  const minimum = baseline.calls + (PREFLIGHT_NODEGROUPS - 1);
  return {
    id: 'upgrade.preflight_calls_50ng',
    value: round(large.calls / minimum, 3),
    unit: '×',
    better: 'lower',
    baseline: 'the calls of a one-node-group pre-flight plus one DescribeNodegroup per further group',
    detail: { calls: large.calls, minimum_calls: minimum, calls_1ng: baseline.calls, ms_50ng: round(large.ms, 1), ms_1ng: round(baseline.ms, 1), time_ratio: round(large.ms / baseline.ms, 2), findings: large.findings },
  };
}
