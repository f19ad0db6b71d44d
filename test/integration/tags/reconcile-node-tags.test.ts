import { describe, expect, it } from '@jest/globals';
import { scheduledEvent } from '../../../local/scenarios/tags-events.ts';
import { seedManagedGroup } from '../../../local/tags-fleet.ts';
import type { Notification } from '../../../shared/notify/notifier.ts';
import { reconcileNodeTags } from '../../../shared/tags/reconcile-node-tags.ts';
import { TagsEventSchema } from '../../../shared/tags/trigger-events.ts';
import { tagsSandbox } from './tags-sandbox.ts';

function setUp(tags: Record<string, unknown> = {}) {
  const sandbox = tagsSandbox();
  sandbox.fleet.eks.seedCluster(sandbox.here, 'prod', { version: '1.33' });
  const web = seedManagedGroup(sandbox.fleet, sandbox.here, 'prod', { name: 'web', instances: 1, tags: { team: 'web' } });
  const sent: Notification[] = [];
  const deps = { config: sandbox.config(['prod'], tags), clients: sandbox.aws.clients, clock: sandbox.aws.clock, env: sandbox.env, notifier: { send: async (notification: Notification) => void sent.push(notification) } };
  const schedule = TagsEventSchema.parse(scheduledEvent(sandbox.here, sandbox.aws.clock.now()));
  return { ...sandbox, web, sent, deps, schedule };
}

describe('reconcileNodeTags against the sandbox account', () => {
  it('writes the node group tags to its instance, signed with the record key, and sends one summary', async () => {
    const { deps, schedule, fleet, here, web, sent } = setUp();
    expect(await reconcileNodeTags(schedule, deps)).toEqual({ outcome: 'reconciled', dryRun: false, clusters: [{ cluster: 'prod', changed: expect.any(Number), lints: 0 }] });
    expect(fleet.ec2.tagsOf(here, web.instanceIds[0] ?? '')).toMatchObject({ team: 'web', 'eksops:managed': expect.stringMatching(/^team;/) });
    expect(sent).toHaveLength(1);
  });

  it('does nothing, and reads no secret, when tags are disabled', async () => {
    const { deps, schedule, aws, sent } = setUp({ enabled: false });
    expect(await reconcileNodeTags(schedule, deps)).toEqual({ outcome: 'skipped', reason: 'tags is disabled in the configuration' });
    expect(aws.account.calls).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('refuses to run without the record key (it could not tell its own records from forged ones), writing nothing', async () => {
    const { deps, schedule, mutatingCalls } = setUp();
    const saved = process.env.EKSOPS_TAG_RECORD_KEY_SECRET;
    delete process.env.EKSOPS_TAG_RECORD_KEY_SECRET;
    try {
      await expect(reconcileNodeTags(schedule, { ...deps, env: {} })).rejects.toMatchObject({ name: 'MissingRecordKeyError' });
    } finally {
      if (saved !== undefined) process.env.EKSOPS_TAG_RECORD_KEY_SECRET = saved;
    }
    expect(mutatingCalls()).toBe(0);
  });
});
