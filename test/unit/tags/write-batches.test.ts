import { describe, expect, it } from '@jest/globals';
import type { ResourceChange } from '../../../shared/tags/model.ts';
import { asgBatches, ec2Batches } from '../../../shared/tags/write-batches.ts';

const instanceChange = (id: string, set: Record<string, string>, remove: string[] = []): ResourceChange => ({ kind: 'instance', id, set, remove });

describe('write batches', () => {
  it('groups EC2 writes by identical tag sets, up to 1,000 resources per call', () => {
    const changes = [...Array.from({ length: 2500 }, (_, index) => instanceChange(`i-${index}`, { b: '2', a: '1' })), instanceChange('i-x', { a: '9' })];
    const writes = ec2Batches(changes);
    expect(writes.map((write) => [write.action, write.resourceIds.length, write.tags])).toEqual([
      ['create', 1000, { a: '1', b: '2' }],
      ['create', 1000, { a: '1', b: '2' }],
      ['create', 500, { a: '1', b: '2' }],
      ['create', 1, { a: '9' }],
    ]);
  });

  it('deletes only named keys, grouped by identical key lists', () => {
    const writes = ec2Batches([instanceChange('i-1', {}, ['team']), instanceChange('i-2', {}, ['team']), instanceChange('i-3', {}, ['a', 'team'])]);
    expect(writes).toEqual([
      { action: 'delete', resourceIds: ['i-1', 'i-2'], tags: ['team'] },
      { action: 'delete', resourceIds: ['i-3'], tags: ['a', 'team'] },
    ]);
  });

  it('sends Auto Scaling tags 25 per call, across groups, with PropagateAtLaunch', () => {
    const set = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`k${index}`, 'v']));
    const changes: ResourceChange[] = ['g1', 'g2'].map((id) => ({ kind: 'auto-scaling-group', id, set, propagate: { k0: true }, remove: [] }));
    const writes = asgBatches(changes);
    expect(writes.map((write) => write.tags.length)).toEqual([25, 15]);
    expect(writes[0]?.tags[0]).toEqual({ asgName: 'g1', key: 'k0', value: 'v', propagate: true });
    expect(writes[0]?.tags[1]?.propagate).toBe(false);
  });
});
