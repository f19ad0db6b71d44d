import { describe, expect, it } from '@jest/globals';
import { addonTarget } from '../../../shared/upgrade/addon-steps.ts';
import { nextStep, planUpgrade } from '../../../shared/upgrade/plan.ts';
import { describeStage } from '../../../shared/upgrade/stage.ts';
import type { UpgradeSettings } from '../../../shared/upgrade/settings.ts';
import { fixtureCatalog, fixtureNodegroup, healthyCluster, RECOMMENDED_AL2023, selfManagedGroup, workersTemplate } from './snapshot-fixture.ts';

const settings: UpgradeSettings = { approval: false, approvalTimeoutMinutes: 60, canaryNodegroup: 'system', nodegroupMaxConcurrency: 2, addonResolveConflicts: 'PRESERVE', kubernetesChecks: false, refreshSelfManaged: false, hopsPerWindow: 1, bakeHours: 24, insightOverrides: [] };
const now = new Date('2026-03-02T09:00:00Z');
/** A window's first hop, no earlier hop on record. */
const FIRST_HOP = { hopsThisWindow: 0 };

/** The fixture's hop to 1.33, up to the managed node groups, and its kube-proxy stage. */
const HOP_TO_NODEGROUPS = [
  'control plane 1.32 → 1.33',
  'add-ons: vpc-cni v1.19.2-eksbuild.1 → v1.20.0-eksbuild.1, coredns v1.11.4-eksbuild.2 → v1.12.1-eksbuild.2',
  // vpc-cni's default for 1.33 is two minors ahead: a second add-on stage, one minor at a time.
  'add-ons: vpc-cni v1.20.0-eksbuild.1 → v1.21.1-eksbuild.1',
  'canary node group → 1.33: system',
  'node groups → 1.33: batch, gpu',
  'node groups → 1.33: web',
];
const KUBE_PROXY_TO_133 = 'kube-proxy: kube-proxy v1.32.0-eksbuild.3 → v1.33.0-eksbuild.3';

describe('the upgrade plan', () => {
  it('orders one hop: control plane, add-ons but kube-proxy, canary, waves of MaxConcurrency, kube-proxy', () => {
    const plan = planUpgrade(healthyCluster(), settings, '1.33', now);
    expect(plan.blockedAt).toBeUndefined();
    expect(plan.stages.map(describeStage)).toEqual([...HOP_TO_NODEGROUPS, KUBE_PROXY_TO_133]);
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
    const step = nextStep(cluster, settings, '1.33', now, FIRST_HOP);
    expect(step).toMatchObject({ action: 'start', stage: { kind: 'nodegroups', nodegroups: [{ name: 'batch', customAmi: true, launchTemplate: { id: 'lt-0abc', version: '7' } }] } });
  });

  it('recomputes from the live state: a half-done hop resumes at the lagging node groups', () => {
    const base = healthyCluster();
    const halfDone = healthyCluster({ version: '1.33', addons: base.addons.map((addon) => (addon.name === 'coredns' ? { ...addon, version: 'v1.12.1-eksbuild.2' } : addon.name === 'vpc-cni' ? { ...addon, version: 'v1.21.1-eksbuild.1' } : addon)), nodegroups: base.nodegroups.map((nodegroup) => (nodegroup.name === 'web' ? nodegroup : { ...nodegroup, version: '1.33' })) });
    expect(planUpgrade(halfDone, settings, '1.33', now).stages.map(describeStage)).toEqual(['node groups → 1.33: web', 'kube-proxy: kube-proxy v1.32.0-eksbuild.3 → v1.33.0-eksbuild.3']);
  });

  it('waits for updates already running instead of starting new ones', () => {
    expect(nextStep(healthyCluster({ runningUpdates: [{ id: 'u-9', type: 'VersionUpdate', nodegroup: 'web' }] }), settings, '1.33', now, FIRST_HOP)).toEqual({ action: 'await-running', updates: [{ id: 'u-9', type: 'VersionUpdate', nodegroup: 'web' }] });
  });

  it('stops at the hop that pre-flight blocks, with the findings', () => {
    const plan = planUpgrade(healthyCluster({ insights: [{ id: 'insight-deprecated', name: 'Deprecated APIs', kubernetesVersion: '1.33', status: 'ERROR' }] }), settings, '1.33', now);
    expect(plan.stages).toEqual([]);
    expect(plan.blockedAt).toEqual({ from: '1.32', to: '1.33' });
    expect(plan.findings.filter((finding) => finding.severity === 'BLOCK').map((finding) => finding.check)).toEqual(['upgrade-insight']);
  });

  it('is complete when the cluster is at the target with everything level', () => {
    const base = healthyCluster();
    const done = healthyCluster({ addons: base.addons.map((addon) => ({ ...addon, version: fixtureCatalog('1.32').addons[addon.name]?.defaultVersion ?? addon.version })) });
    expect(nextStep(done, settings, '1.32', now, FIRST_HOP)).toEqual({ action: 'complete', version: '1.32' });
  });

  describe('self-managed groups', () => {
    const optIn = { ...settings, refreshSelfManaged: true };
    const kinds = (cluster: ReturnType<typeof healthyCluster>, using = optIn) => planUpgrade(cluster, using, '1.33', now).stages.map(describeStage);

    it('are refreshed after the managed node groups and before kube-proxy, onto the recommended AMI of each version', () => {
      expect(kinds(healthyCluster({ selfManagedGroups: [selfManagedGroup()] }))).toEqual([
        // Behind at the current version already: brought level before the hop, like a lagging node group.
        'self-managed groups → 1.32 (instance refresh): legacy-workers ami-0al2023x8632a → ami-0al2023x8632b',
        ...HOP_TO_NODEGROUPS,
        'self-managed groups → 1.33 (instance refresh): legacy-workers ami-0al2023x8632b → ami-0al2023x8633b',
        KUBE_PROXY_TO_133,
      ]);
    });

    it('carry what the refresh needs: the template, the source version, the AMIs, a warmup when the group sets none', () => {
      const step = nextStep(healthyCluster({ selfManagedGroups: [selfManagedGroup()] }), optIn, '1.33', now, FIRST_HOP);
      expect(step).toEqual({
        action: 'start',
        findings: [],
        stage: {
          kind: 'self-managed',
          clusterVersion: '1.32',
          groups: [{ name: 'legacy-workers', launchTemplate: { id: 'lt-0workers', name: 'workers-lt' }, sourceVersion: '3', fromImage: 'ami-0al2023x8632a', toImage: RECOMMENDED_AL2023['1.32'], templateCurrent: false, mixedInstances: false, desiredCapacity: 4, warmupSeconds: 300, instanceWarmup: 300 }],
        },
      });
      const withWarmup = nextStep(healthyCluster({ selfManagedGroups: [selfManagedGroup('legacy-workers', { defaultInstanceWarmup: 120 })] }), optIn, '1.33', now, FIRST_HOP);
      expect(withWarmup).toMatchObject({ stage: { groups: [{ warmupSeconds: 120 }] } });
      // The group's own DefaultInstanceWarmup applies: no InstanceWarmup preference overrides it.
      expect(withWarmup.action === 'start' && withWarmup.stage.kind === 'self-managed' ? withWarmup.stage.groups[0]?.instanceWarmup : 'no stage').toBeUndefined();
    });

    it('are not planned without the opt-in: reported, nothing else', () => {
      const plan = planUpgrade(healthyCluster({ selfManagedGroups: [selfManagedGroup()] }), settings, '1.33', now);
      expect(plan.stages.filter((stage) => stage.kind === 'self-managed')).toEqual([]);
      expect(plan.findings.filter((finding) => finding.resource === 'autoscaling/legacy-workers').map((finding) => [finding.severity, finding.message])).toEqual([['INFO', 'self-managed node group: eksops does not upgrade it (upgrade.refreshSelfManaged is off)']]);
    });

    it('leave a group on a launch configuration or a custom AMI alone, and say why', () => {
      const launchConfiguration = selfManagedGroup('lc-workers', { launchTemplate: undefined, obstacle: 'launch-configuration', recommendedImages: {} });
      // A name that is not an EKS-optimized one: observe sets no `ami`, and reads no recommended AMIs for it.
      const custom = selfManagedGroup('custom-workers', { launchTemplate: { id: 'lt-0custom', name: 'custom-lt', version: '1', versionNumber: '1', mixedInstances: false, imageId: 'ami-0golden', imageName: 'acme-golden-eks-1.32' }, recommendedImages: {} });
      const plan = planUpgrade(healthyCluster({ selfManagedGroups: [custom, launchConfiguration] }), optIn, '1.33', now);
      expect(plan.stages.filter((stage) => stage.kind === 'self-managed')).toEqual([]);
      expect(plan.findings.filter((finding) => finding.check === 'self-managed').map((finding) => [finding.severity, finding.resource, finding.message])).toEqual([
        ['WARN', 'autoscaling/custom-workers', 'self-managed node group: eksops will not refresh it: its AMI ami-0golden is not an EKS-optimized one (custom, or no longer readable)'],
        ['WARN', 'autoscaling/lc-workers', 'self-managed node group: eksops will not refresh it: it launches from a launch configuration, which an instance refresh cannot take as its desired configuration'],
      ]);
    });

    it('plan nothing for a group already on the recommended AMI, and refresh only the instances when the template has it', () => {
      const level = selfManagedGroup('legacy-workers', { launchTemplate: workersTemplate({ imageId: RECOMMENDED_AL2023['1.32'] }) });
      const base = healthyCluster();
      const done = healthyCluster({ addons: base.addons.map((addon) => ({ ...addon, version: fixtureCatalog('1.32').addons[addon.name]?.defaultVersion ?? addon.version })), selfManagedGroups: [level] });
      expect(nextStep(done, optIn, '1.32', now, FIRST_HOP)).toEqual({ action: 'complete', version: '1.32' });
      // $Latest already names the recommended AMI (a version created before a refresh failed), 2 instances still run the old one.
      const lagging = healthyCluster({ ...done, selfManagedGroups: [{ ...level, outdatedInstances: 2, launchTemplate: workersTemplate({ imageId: RECOMMENDED_AL2023['1.32'], version: '$Latest', versionNumber: '4' }) }] });
      expect(nextStep(lagging, optIn, '1.32', now, FIRST_HOP)).toMatchObject({ action: 'start', stage: { kind: 'self-managed', groups: [{ name: 'legacy-workers', sourceVersion: '4', templateCurrent: true, toImage: RECOMMENDED_AL2023['1.32'] }] } });
    });

    it('refresh as many groups at a time as node groups, and wait for a refresh already running', () => {
      const groups = ['a-workers', 'b-workers', 'c-workers'].map((name) => selfManagedGroup(name));
      const stages = planUpgrade(healthyCluster({ selfManagedGroups: groups }), optIn, '1.32', now).stages;
      expect(stages.map((stage) => (stage.kind === 'self-managed' ? stage.groups.map((group) => group.name) : []))).toEqual([['a-workers', 'b-workers'], ['c-workers']]);
      const running = { id: '5f1e-refresh', type: 'InstanceRefresh', autoScalingGroup: 'a-workers' };
      expect(nextStep(healthyCluster({ selfManagedGroups: groups, runningUpdates: [running] }), optIn, '1.33', now, FIRST_HOP)).toEqual({ action: 'await-running', updates: [running] });
    });

    it('do not refresh an AL2 group past 1.32, where AWS publishes no AL2 AMI, and say so', () => {
      const al2 = selfManagedGroup('al2-workers', {
        launchTemplate: workersTemplate({ imageId: 'ami-0al2x8632b', imageName: 'amazon-eks-node-1.32-v20260215', ami: { family: 'AL2', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.32' } }),
        recommendedImages: { '1.32': 'ami-0al2x8632b' },
      });
      const plan = planUpgrade(healthyCluster({ selfManagedGroups: [al2] }), optIn, '1.33', now);
      expect(plan.stages.filter((stage) => stage.kind === 'self-managed')).toEqual([]);
      expect(plan.findings.find((finding) => finding.resource === 'autoscaling/al2-workers')).toMatchObject({
        severity: 'WARN',
        message: 'self-managed node group: no AL2 standard x86_64 AMI is published for 1.33; eksops will not refresh it',
        evidence: expect.stringContaining('SSM /aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/image_id: not found'),
        remedy: expect.stringContaining('Amazon Linux 2 AMIs end at 1.32'),
      });
    });
  });
});

describe('the hop boundary', () => {
  const atTarget = (overrides: Parameters<typeof healthyCluster>[0] = {}) => healthyCluster(overrides);
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();

  it('keeps to upgrade.hopsPerWindow, and says which hop waits', () => {
    expect(nextStep(atTarget(), settings, '1.33', now, { hopsThisWindow: 1 })).toMatchObject({ action: 'pause', pause: { reason: 'hops-per-window', hop: { from: '1.32', to: '1.33' } } });
    expect(nextStep(atTarget(), { ...settings, hopsPerWindow: 2 }, '1.33', now, { hopsThisWindow: 1 })).toMatchObject({ action: 'start', stage: { kind: 'control-plane' } });
  });

  it('waits out the bake period of the previous hop at a window\'s first hop only', () => {
    expect(nextStep(atTarget(), settings, '1.33', now, { hopsThisWindow: 0, previousHopEndedAt: hourAgo })).toMatchObject({ action: 'pause', pause: { reason: 'bake', notBefore: new Date(now.getTime() + 23 * 3600_000).toISOString() } });
    // No bake: the hop goes on (its insights evaluated after the previous hop; none here).
    expect(nextStep(atTarget({ insights: [] }), { ...settings, bakeHours: 0 }, '1.33', now, { hopsThisWindow: 0, previousHopEndedAt: hourAgo })).toMatchObject({ action: 'start' });
  });

  it('has stale insights re-evaluated once, then waits for a later window', () => {
    const stale = atTarget({ insights: [{ id: 'i-1', name: 'Deprecated APIs', kubernetesVersion: '1.33', status: 'PASSING', lastRefreshTime: new Date(now.getTime() - 2 * 3600_000).toISOString() }] });
    const history = { hopsThisWindow: 1, previousHopEndedAt: hourAgo };
    const wide = { ...settings, hopsPerWindow: 3 };
    expect(nextStep(stale, wide, '1.33', now, history)).toMatchObject({ action: 'refresh-insights', hop: { to: '1.33' }, stale: [{ id: 'i-1' }] });
    expect(nextStep(stale, wide, '1.33', now, { ...history, insightsRefreshedFor: '1.33' })).toMatchObject({ action: 'pause', pause: { reason: 'insights-stale' } });
    // Evaluated after the previous hop ended: fresh, and passing.
    const fresh = atTarget({ insights: [{ id: 'i-1', name: 'Deprecated APIs', kubernetesVersion: '1.33', status: 'PASSING', lastRefreshTime: now.toISOString() }] });
    expect(nextStep(fresh, wide, '1.33', now, history)).toMatchObject({ action: 'start', stage: { kind: 'control-plane' } });
  });

  it('blocks on every insight at or below the hop that is not passing, UNKNOWN and WARNING included, and not on later ones', () => {
    const blockedBy = (status: 'WARNING' | 'UNKNOWN' | 'ERROR', kubernetesVersion: string) => nextStep(atTarget({ insights: [{ id: 'i-2', name: 'Kubelet version skew', kubernetesVersion, status }] }), settings, '1.33', now, FIRST_HOP).action;
    expect(blockedBy('WARNING', '1.33')).toBe('blocked');
    expect(blockedBy('UNKNOWN', '1.33')).toBe('blocked');
    expect(blockedBy('ERROR', '1.32')).toBe('blocked');
    expect(blockedBy('WARNING', '1.34')).toBe('start');
  });

  it('blocks a hop whose add-on catalog could not be read, instead of skipping its add-on stage', () => {
    const cluster = atTarget({ addonCatalogs: healthyCluster().addonCatalogs.filter((catalog) => catalog.kubernetesVersion !== '1.33') });
    const plan = planUpgrade(cluster, settings, '1.33', now);
    expect(plan.blockedAt).toEqual({ from: '1.32', to: '1.33' });
    expect(plan.findings.filter((finding) => finding.severity === 'BLOCK').map((finding) => finding.check)).toContain('addon-catalog');
  });

  it('plans later windows after this one, and says where this window stops', () => {
    const cluster = atTarget({ offeredVersions: [...healthyCluster().offeredVersions, { version: '1.34', status: 'STANDARD_SUPPORT' }], addonCatalogs: [...healthyCluster().addonCatalogs, { ...fixtureCatalog('1.33'), kubernetesVersion: '1.34' }] });
    const plan = planUpgrade(cluster, settings, '1.34', now);
    expect(plan.blockedAt).toBeUndefined();
    expect(plan.stages.map(describeStage).slice(plan.thisWindow)[0]).toBe('control plane 1.33 → 1.34');
    expect(plan.pause?.reason).toBe('hops-per-window');
  });
});
