import { SandboxAutoScaling } from '../../local/account/services/autoscaling.ts';
import { SandboxEc2 } from '../../local/account/services/ec2.ts';
import { createSandboxAws } from '../../local/sandbox.ts';
import { driftFleet, seedFleet } from '../../local/tags-fleet.ts';
import { ConfigSchema } from '../../shared/config/schema.ts';
import { planCluster } from '../../shared/tags/plan.ts';
import { reconcile } from '../../shared/tags/reconcile.ts';
import type { Figure } from '../figures.ts';
import type { BenchGroup, GroupOutcome } from '../group.ts';
import { median, round } from '../stats.ts';
import { minimumCalls, naiveCalls } from '../tags/minimum-calls.ts';
import { plainLoop, syntheticCluster } from '../tags/synthetic-snapshot.ts';

const MUTATING = new Set(['CreateTags', 'DeleteTags', 'CreateOrUpdateTags']);
const PLAN_RUNS = 9;

/** Node tags: write calls against the minimum the plan needs and against one call per resource; planning time. */
export const tagsGroup: BenchGroup = {
  name: 'tags',
  description: 'node tag reconciler: calls vs the minimum and vs one per resource (5,000 instances, 30% drift); plan time for 10,000 instances',
  async run(context): Promise<GroupOutcome> {
    const figures: Figure[] = [];
    context.progress('tags: seeding 10 clusters × 20 node groups × 25 instances');
    const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
    const fleet = { eks: aws.services.eks, eksNodegroups: aws.services.eksNodegroups, ec2: aws.account.service(SandboxEc2), autoscaling: aws.account.service(SandboxAutoScaling) };
    const seeded = seedFleet(fleet, aws.here, { clusters: 10, groupsPerCluster: 20, instancesPerGroup: 25 });
    const config = ConfigSchema.parse({ region: aws.here.region, clusters: seeded.clusters.map((name) => ({ name })), tags: { enabled: true } });
    // The functions sign the managed record with the stack's key: the bench measures that path.
    const recordKey = 'b'.repeat(64);
    const deps = { config, clients: aws.clients, clock: aws.clock, recordKey };
    await reconcile({}, deps);
    const drifted = driftFleet(fleet, aws.here, seeded.groups, 0.3);
    const before = aws.account.calls.length;
    const mutatingBefore = aws.account.calls.filter((call) => MUTATING.has(call.operation) && !call.error).length;
    context.progress(`tags: reconciling after drift on ${drifted} of ${seeded.groups.length} groups`);
    const result = await reconcile({}, deps);
    const calls = aws.account.calls.slice(before);
    // Every write attempt counts, throttled or failed ones included.
    const made = calls.filter((call) => MUTATING.has(call.operation)).length;
    const changes = result.clusters.flatMap((run) => run.plan?.changes ?? []);
    const minimum = result.clusters.reduce((sum, run) => sum + minimumCalls(run.plan?.changes ?? []), 0);
    const naive = naiveCalls(changes);
    const failures = result.clusters.flatMap((run) => (run.error ? [{ subject: run.cluster, message: `${run.error.name}: ${run.error.message}` }] : []));
    const instances = fleet.ec2.instances(aws.here).length;
    figures.push({ id: 'tags.calls_vs_min', value: round(made / Math.max(1, minimum), 3), unit: 'ratio', better: 'lower', baseline: 'the fewest write calls the plan needs (computed by the bench)', detail: { made, minimum, instances, driftedGroups: drifted, resourcesChanged: changes.length, readCalls: calls.length - made, mutatingBefore } });
    figures.push({ id: 'tags.calls_vs_naive', value: round(made / Math.max(1, naive), 4), unit: 'ratio', better: 'lower', baseline: 'one write call per changed resource', detail: { made, naive, resourcesChanged: changes.length } });

    context.progress('tags: timing the plan for 10,000 instances');
    const snapshot = syntheticCluster(10_000);
    const policy = { autoscalerDiscovery: true, allow: ['*'], deny: [] };
    const planMs: number[] = [];
    const loopMs: number[] = [];
    for (let run = 0; run < PLAN_RUNS + 1; run += 1) {
      let started = performance.now();
      const plan = planCluster(snapshot, policy, recordKey);
      const planTime = performance.now() - started;
      started = performance.now();
      const differing = plainLoop(snapshot);
      const loopTime = performance.now() - started;
      if (run === 0 && (plan.changes.length === 0 || differing === 0)) failures.push({ subject: 'plan_ms_10k', message: 'the synthetic snapshot has no drift' });
      if (run > 0) {
        planMs.push(planTime);
        loopMs.push(loopTime);
      }
    }
    const plan = median(planMs);
    const loop = median(loopMs);
    figures.push({ id: 'tags.plan_ms_10k', value: round(plan / loop, 2), unit: 'ratio', better: 'lower', baseline: 'a plain loop comparing every instance and volume with a fixed tag map (medians)', detail: { planMs: round(plan, 1), loopMs: round(loop, 2), instances: 10_000, runs: PLAN_RUNS } });
    return { figures, failures };
  },
};
