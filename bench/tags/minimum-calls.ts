import type { ResourceChange } from '../../shared/tags/model.ts';

/**
 * The fewest mutating calls a plan needs, computed here from the plan alone (not with the product's
 * batching code, so a batching regression shows as a ratio above 1): EC2 takes up to 1,000 resources per
 * CreateTags/DeleteTags with one tag set; Auto Scaling 25 tags per call; per account and Region.
 */
export function minimumCalls(changes: readonly ResourceChange[]): number {
  const creates = new Map<string, number>();
  const deletes = new Map<string, number>();
  let asgCreates = 0;
  let asgDeletes = 0;
  for (const change of changes) {
    if (change.kind === 'auto-scaling-group') {
      asgCreates += Object.keys(change.set).length;
      asgDeletes += change.remove.length;
      continue;
    }
    if (Object.keys(change.set).length > 0) {
      const key = JSON.stringify(Object.entries(change.set).sort());
      creates.set(key, (creates.get(key) ?? 0) + 1);
    }
    if (change.remove.length > 0) {
      const key = JSON.stringify([...change.remove].sort());
      deletes.set(key, (deletes.get(key) ?? 0) + 1);
    }
  }
  const ec2 = [...creates.values(), ...deletes.values()].reduce((sum, count) => sum + Math.ceil(count / 1000), 0);
  return ec2 + Math.ceil(asgCreates / 25) + Math.ceil(asgDeletes / 25);
}

/** One call per resource and operation: what a tagger that does not group writes would make. */
export function naiveCalls(changes: readonly ResourceChange[]): number {
  return changes.reduce((sum, change) => sum + (Object.keys(change.set).length > 0 ? 1 : 0) + (change.remove.length > 0 ? 1 : 0), 0);
}
