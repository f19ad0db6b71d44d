import { describe, expect, it } from '@jest/globals';
import { fitMessage } from '../../../shared/notify/blocks.ts';
import { preflight } from '../../../shared/upgrade/checks/index.ts';
import { planUpgrade } from '../../../shared/upgrade/plan.ts';
import { controlPlaneRollback, remedyFor } from '../../../shared/upgrade/remedies.ts';
import { blockedNotification, completionNotification, deferralNotification, failureNotification, startNotification } from '../../../shared/upgrade/report.ts';
import type { UpgradeSettings } from '../../../shared/upgrade/settings.ts';
import { healthyCluster } from './snapshot-fixture.ts';

const settings: UpgradeSettings = { approval: false, approvalTimeoutMinutes: 60, canaryNodegroup: 'system', nodegroupMaxConcurrency: 2, addonResolveConflicts: 'PRESERVE', kubernetesChecks: false, refreshSelfManaged: false, hopsPerWindow: 1, bakeHours: 24, insightOverrides: [] };
const now = new Date('2026-03-02T09:00:00Z');

/** The Slack messages people read, snapshotted; each also fits Slack's limits unchanged. */
describe('upgrade notifications', () => {
  const plan = planUpgrade(healthyCluster(), settings, '1.33', now);

  it('start: the plan and the findings', () => {
    const message = startNotification('prod-eu', '1.32', '1.33', plan, '2026-03-02T13:00:00.000Z');
    expect(fitMessage(message.blocks)).toEqual(message.blocks);
    expect(message.blocks).toMatchSnapshot();
  });

  it('deferral, failure with remedies and the rollback command, blocked, completion', () => {
    const controlPlane = plan.stages[0];
    if (!controlPlane) throw new Error('no stage');
    expect(deferralNotification('prod-eu', controlPlane, 2700, 1500).blocks).toMatchSnapshot();
    expect(
      failureNotification('prod-eu', 'node groups → 1.33: web failed after 50 min.', [{ code: 'PodEvictionFailure', message: 'web: Reached max retries', remedy: remedyFor('PodEvictionFailure') }], [controlPlaneRollback('prod-eu', '1.32')]).blocks,
    ).toMatchSnapshot();
    const blocked = healthyCluster({ insights: [{ id: 'insight-deprecated', name: 'Deprecated APIs', kubernetesVersion: '1.33', status: 'ERROR', recommendation: 'migrate <flowcontrol> & co' }] });
    expect(blockedNotification('prod-eu', { from: '1.32', to: '1.33' }, preflight(blocked, { from: '1.32', to: '1.33', now })).blocks).toMatchSnapshot();
    expect(completionNotification('prod-eu', '1.33', [{ stage: 'control plane 1.32 → 1.33', startedAt: '2026-03-02T09:00:00Z', endedAt: '2026-03-02T09:25:00Z', outcome: 'done' }], '2026-03-02T09:00:00Z', '2026-03-02T11:21:00Z', ['jobs']).blocks).toMatchSnapshot();
  });

  it('escapes text that comes from AWS', () => {
    const blocked = healthyCluster({ insights: [{ id: 'insight-ping', name: '<!channel> ping', kubernetesVersion: '1.33', status: 'ERROR' }] });
    const text = JSON.stringify(blockedNotification('prod-eu', { from: '1.32', to: '1.33' }, preflight(blocked, { from: '1.32', to: '1.33', now })).blocks);
    expect(text).not.toContain('<!channel>');
  });
});
