import { chunk } from '../collections/chunk.ts';
import type { ResourceChange } from './model.ts';
import { isAwsReserved } from './well-known-tags.ts';

// EC2 CreateTags / DeleteTags: "Constraints: Up to 1000 resource IDs" per call (EC2 API Reference).
export const EC2_IDS_PER_CALL = 1000;
// Auto Scaling CreateOrUpdateTags / DeleteTags: eksops sends at most 25 tags per call (issue 4; one call's
// tags may name several groups).
export const ASG_TAGS_PER_CALL = 25;

export interface Ec2TagWrite {
  action: 'create' | 'delete';
  resourceIds: string[];
  /** create: key → value; delete: keys only (never an empty list: that would delete every tag). */
  tags: Record<string, string> | string[];
}

export interface AsgTagEntry {
  asgName: string;
  key: string;
  value: string;
  propagate: boolean;
}

export interface AsgTagWrite {
  action: 'create' | 'delete';
  tags: AsgTagEntry[];
}

/**
 * EC2 writes grouped by identical tag sets, so that one call covers up to 1,000 resources: after a node
 * group's tags change, every instance, volume and ENI of the group needs the same few tags.
 */
export function ec2Batches(changes: readonly ResourceChange[]): Ec2TagWrite[] {
  const creates = new Map<string, { tags: Record<string, string>; ids: string[] }>();
  const deletes = new Map<string, { keys: string[]; ids: string[] }>();
  for (const change of changes) {
    if (change.kind === 'auto-scaling-group') continue;
    if (Object.keys(change.set).length > 0) {
      const sorted = Object.fromEntries(Object.entries(change.set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const signature = JSON.stringify(sorted);
      const group = creates.get(signature) ?? { tags: sorted, ids: [] };
      group.ids.push(change.id);
      creates.set(signature, group);
    }
    // Defence in depth: `aws:` keys are AWS's; eksops never names one in a DeleteTags, whatever the plan says.
    const removable = change.remove.filter((key) => !isAwsReserved(key));
    if (removable.length > 0) {
      const keys = [...removable].sort();
      const signature = JSON.stringify(keys);
      const group = deletes.get(signature) ?? { keys, ids: [] };
      group.ids.push(change.id);
      deletes.set(signature, group);
    }
  }
  const writes: Ec2TagWrite[] = [];
  for (const group of creates.values()) for (const ids of chunk(group.ids, EC2_IDS_PER_CALL)) writes.push({ action: 'create', resourceIds: ids, tags: group.tags });
  for (const group of deletes.values()) for (const ids of chunk(group.keys.length > 0 ? group.ids : [], EC2_IDS_PER_CALL)) writes.push({ action: 'delete', resourceIds: ids, tags: group.keys });
  return writes;
}

/** Auto Scaling writes, 25 tags per call across groups. */
export function asgBatches(changes: readonly ResourceChange[]): AsgTagWrite[] {
  const creates: AsgTagEntry[] = [];
  const deletes: AsgTagEntry[] = [];
  for (const change of changes) {
    if (change.kind !== 'auto-scaling-group') continue;
    for (const [key, value] of Object.entries(change.set)) creates.push({ asgName: change.id, key, value, propagate: change.propagate?.[key] ?? false });
    for (const key of change.remove) if (!isAwsReserved(key)) deletes.push({ asgName: change.id, key, value: '', propagate: false });
  }
  return [
    ...chunk(creates, ASG_TAGS_PER_CALL).map((tags) => ({ action: 'create' as const, tags })),
    ...chunk(deletes, ASG_TAGS_PER_CALL).map((tags) => ({ action: 'delete' as const, tags })),
  ];
}
