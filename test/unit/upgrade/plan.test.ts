import { describe, expect, it } from '@jest/globals';
import { addonTarget, nextStep, planUpgrade } from '../../../shared/upgrade/plan.ts';
import { describeStage } from '../../../shared/upgrade/stage.ts';
import type { UpgradeSettings } from '../../../shared/upgrade/settings.ts';
import { fixtureCatalog, fixtureNodegroup, healthyCluster } from './snapshot-fixture.ts';

const settings: UpgradeSettings = { approval: false, approvalTimeoutMinutes: 60, canaryNodegroup: 'system', nodegroupMaxConcurrency: 2, addonResolveConflicts: 'PRESERVE', refreshSelfManaged: false };
const now = new Date('2026-03-02T09:00:00Z');

describe('the upgrade plan', () => {
  it('orders one hop: control plane, add-ons but kube-proxy, canary, waves of MaxConcurrency, kube-proxy', () => {
    const plan = planUpgrade(healthyCluster(), settings, '1.33', now);
    expect(plan.blockedAt).toBeUndefined();
    expect(plan.stages.map(describeStage)).toEqual([
      'control plane 1.32 → 1.33',
      'add-ons: vpc-cni v1.19.2-eksbuild.1 → v1.20.0-eksbuild.1, coredns v1.11.4-eksbuild.2 → v1.12.1-eksbuild.2',
      // vpc-cni's default for 1.33 is two minors ahead: a second add-on stage, one minor at a time.
      'add-ons: vpc-cni v1.20.0-eksbuild.1 → v1.21.1-eksbuild.1',
      'canary node group → 1.33: system',
      'node groups → 1.33: batch, gpu',
      'node groups → 1.33: web',
      'kube-proxy: kube-proxy v1.32.0-eksbuild.3 → v1.33.0-eksbuild.3',
    ]);
  });

  it('moves vpc-cni one minor version at a time, in successive add-on stages', () => {
    expect(addonTarget('vpc-cni', 'v1.19.2-eksbuild.1', fixtureCatalog('1.33'))).toBe('v1.20.0-eksbuild.1');
    expect(addonTarget('vpc-cni', 'v1.20.0-eksbuild.1', fixtureCatalog('1.33'))).toBe('v1.21.1-eksbuild.1');
    expect(addonTarget('coredns', 'v1.11.4-eksbuild.2', fixtureCatalog('1.33'))).toBe('v1.12.1-eksbuild.2');
  });

  it('honours MaxConcurrency 1 and no canary', () => {
    const plan = planUpgrade(healthyCluster(), { ...settings, canaryNodegroup: undefined, nodegroupMaxConcurrency: 1 }, '1.33', now);
    expect(plan.stages.filter((stage) => stage.kind === 'nodegroups').map(describeStage)).toEqual(['node groups → 1.33: batch', 'node groups → 1.33: gpu', 'node groups → 1.33: system', 'node groups → 1.33: web']);
  });

  it('passes the launch template of a custom-AMI group and no explicit version', () => {
    const cluster = healthyCluster({ version: '1.33', addons: [], nodegroups: [{ ...fixtureNodegroup('batch'), amiType: 'CUSTOM', launchTemplate: { id: 'lt-0abc', version: '7' } }] });
    const step = nextStep(cluster, settings, '1.33', now);
    expect(step).toMatchObject({ action: 'start', stage: { kind: 'nodegroups', nodegroups: [{ name: 'batch', customAmi: true, launchTemplate: { id: 'lt-0abc', version: '7' } }] } });
  });

  it('recomputes from the live state: a half-done hop resumes at the lagging node groups', () => {
    const base = healthyCluster();
    const halfDone = healthyCluster({ version: '1.33', addons: base.addons.map((addon) => (addon.name === 'coredns' ? { ...addon, version: 'v1.12.1-eksbuild.2' } : addon.name === 'vpc-cni' ? { ...addon, version: 'v1.21.1-eksbuild.1' } : addon)), nodegroups: base.nodegroups.map((nodegroup) => (nodegroup.name === 'web' ? nodegroup : { ...nodegroup, version: '1.33' })) });
    expect(planUpgrade(halfDone, settings, '1.33', now).stages.map(describeStage)).toEqual(['node groups → 1.33: web', 'kube-proxy: kube-proxy v1.32.0-eksbuild.3 → v1.33.0-eksbuild.3']);
  });

  it('waits for updates already running instead of starting new ones', () => {
    expect(nextStep(healthyCluster({ runningUpdates: [{ id: 'u-9', type: 'VersionUpdate', nodegroup: 'web' }] }), settings, '1.33', now)).toEqual({ action: 'await-running', updates: [{ id: 'u-9', type: 'VersionUpdate', nodegroup: 'web' }] });
  });

  it('stops at the hop that pre-flight blocks, with the findings', () => {
    const plan = planUpgrade(healthyCluster({ insights: [{ name: 'Deprecated APIs', kubernetesVersion: '1.33', status: 'ERROR' }] }), settings, '1.33', now);
    expect(plan.stages).toEqual([]);
    expect(plan.blockedAt).toEqual({ from: '1.32', to: '1.33' });
    expect(plan.findings.filter((finding) => finding.severity === 'BLOCK').map((finding) => finding.check)).toEqual(['upgrade-insight']);
  });

  it('is complete when the cluster is at the target with everything level', () => {
    const base = healthyCluster();
    const done = healthyCluster({ addons: base.addons.map((addon) => ({ ...addon, version: fixtureCatalog('1.32').addons[addon.name]?.defaultVersion ?? addon.version })) });
    expect(nextStep(done, settings, '1.32', now)).toEqual({ action: 'complete', version: '1.32' });
  });
});
