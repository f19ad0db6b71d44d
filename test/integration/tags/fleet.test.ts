import { describe, expect, it } from '@jest/globals';
import { driftFleet, seedFleet } from '../../../local/tags-fleet.ts';
import { reconcile } from '../../../shared/tags/reconcile.ts';
import { ec2Batches, asgBatches } from '../../../shared/tags/write-batches.ts';
import { tagsSandbox } from './tags-sandbox.ts';

describe('a drifted fleet', () => {
  it('is repaired with the fewest writes, every drifted resource reached, and is then converged', async () => {
    const sandbox = tagsSandbox();
    const seeded = seedFleet(sandbox.fleet, sandbox.here, { clusters: 2, groupsPerCluster: 10, instancesPerGroup: 60 });
    const deps = { config: sandbox.config(seeded.clusters), clients: sandbox.aws.clients, clock: sandbox.aws.clock };
    await reconcile({}, deps);
    const drifted = driftFleet(sandbox.fleet, sandbox.here, seeded.groups, 0.3);
    expect(drifted).toBe(6);
    const writesBefore = sandbox.mutatingCalls();
    const result = await reconcile({}, deps);
    const changes = result.clusters.flatMap((run) => run.plan?.changes ?? []);
    expect(changes).toHaveLength(6 * (1 + 60 * 3));
    expect(sandbox.mutatingCalls() - writesBefore).toBe(result.clusters.reduce((sum, run) => sum + ec2Batches(run.plan?.changes ?? []).length + asgBatches(run.plan?.changes ?? []).length, 0));
    seeded.groups.forEach((group, index) => {
      const instanceId = sandbox.fleet.autoscaling.groupOf(sandbox.here, group.asgName)?.instanceIds[59] ?? '';
      expect({ group: group.asgName, release: sandbox.fleet.ec2.tagsOf(sandbox.here, instanceId)?.release }).toEqual({ group: group.asgName, release: index % 10 < 3 ? `r2-${index}` : undefined });
    });
    expect((await reconcile({}, deps)).clusters.flatMap((run) => run.plan?.changes ?? [])).toEqual([]);
  });
});
