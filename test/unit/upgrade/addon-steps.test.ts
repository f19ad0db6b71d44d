import { describe, expect, it } from '@jest/globals';
import { addonStepRule, addonSteps, addonTarget, preHopAddonChanges } from '../../../shared/upgrade/addon-steps.ts';
import { checkAddonCompatibility } from '../../../shared/upgrade/checks/addon-compatibility.ts';
import { applyStage } from '../../../shared/upgrade/plan.ts';
import type { AddonCatalog, ClusterSnapshot } from '../../../shared/upgrade/snapshot.ts';
import { healthyCluster } from './snapshot-fixture.ts';

const hop = { from: '1.32', to: '1.33', now: new Date('2026-03-02T09:00:00Z') };
const catalog = (kubernetesVersion: string, addons: AddonCatalog['addons']): AddonCatalog => ({ kubernetesVersion, addons });
/** A cluster at 1.32 with one add-on installed and the two catalogs given. */
const withAddon = (name: string, version: string, at132: AddonCatalog['addons'], at133: AddonCatalog['addons']): ClusterSnapshot =>
  healthyCluster({ addons: [{ name, version, status: 'ACTIVE', issues: [] }], addonCatalogs: [catalog('1.32', at132), catalog('1.33', at133)] });

/** The pre-hop stages as plan.ts would run them (one step per stage, recomputed), until nothing moves. */
function preHopStages(cluster: ClusterSnapshot, to: string): string[] {
  const stages: string[] = [];
  let state = cluster;
  for (let guard = 0; guard < 20; guard++) {
    const { changes } = preHopAddonChanges(state, to);
    if (changes.length === 0) break;
    stages.push(changes.map((change) => `${change.name} ${change.from} → ${change.to}`).join(', '));
    state = applyStage(state, { kind: 'addons', clusterVersion: state.version, addons: changes });
  }
  return stages;
}

describe('add-on steps at the cluster version', () => {
  it('take the rule from the add-on data: one minor for vpc-cni and the Pod Identity Agent, the default for others', () => {
    expect(['vpc-cni', 'eks-pod-identity-agent', 'coredns', 'aws-ebs-csi-driver', 'some-marketplace-addon'].map(addonStepRule)).toEqual(['one-minor', 'one-minor', 'any', 'any', 'any']);
  });

  it('move the Pod Identity Agent one minor at a time (the old code special-cased vpc-cni only, and jumped)', () => {
    const offered = catalog('1.32', { 'eks-pod-identity-agent': { versions: ['v1.3.8-eksbuild.2', 'v1.2.0-eksbuild.1', 'v1.2.1-eksbuild.4', 'v1.1.0-eksbuild.1'], defaultVersion: 'v1.3.8-eksbuild.2' } });
    expect(addonTarget('eks-pod-identity-agent', 'v1.1.0-eksbuild.1', offered)).toBe('v1.2.1-eksbuild.4');
    expect(addonTarget('eks-pod-identity-agent', 'v1.2.1-eksbuild.4', offered)).toBe('v1.3.8-eksbuild.2');
  });

  it('never jump over a minor the catalog lacks: vpc-cni v1.15 stays, with a finding, instead of going to v1.20', () => {
    const offered = { versions: ['v1.20.0-eksbuild.1', 'v1.19.2-eksbuild.1', 'v1.15.4-eksbuild.1'], defaultVersion: 'v1.20.0-eksbuild.1' };
    expect(addonTarget('vpc-cni', 'v1.15.4-eksbuild.1', catalog('1.32', { 'vpc-cni': offered }))).toBeUndefined();
    const steps = addonSteps(withAddon('vpc-cni', 'v1.15.4-eksbuild.1', { 'vpc-cni': offered }, { 'vpc-cni': offered }), () => true);
    expect(steps.changes).toEqual([]);
    expect(steps.findings.map((finding) => [finding.severity, finding.check, finding.resource])).toEqual([['WARN', 'addon-step-gap', 'addon/vpc-cni']]);
    expect(steps.findings[0]?.message).toContain('EKS lists no v1.16 build for Kubernetes 1.32');
    expect(steps.findings[0]?.evidence).toContain('https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html#add-ons-vpc-cni-update-information');
  });

  it('walk to the newest build of the next minor, and jump straight for add-ons without the rule', () => {
    const offered = catalog('1.32', {
      'vpc-cni': { versions: ['v1.21.1-eksbuild.1', 'v1.20.1-eksbuild.3', 'v1.20.0-eksbuild.1', 'v1.19.2-eksbuild.1'], defaultVersion: 'v1.21.1-eksbuild.1' },
      'aws-ebs-csi-driver': { versions: ['v1.48.0-eksbuild.2', 'v1.46.0-eksbuild.1', 'v1.44.0-eksbuild.1'], defaultVersion: 'v1.48.0-eksbuild.2' },
    });
    expect(addonTarget('vpc-cni', 'v1.19.2-eksbuild.1', offered)).toBe('v1.20.1-eksbuild.3');
    expect(addonTarget('aws-ebs-csi-driver', 'v1.44.0-eksbuild.1', offered)).toBe('v1.48.0-eksbuild.2');
  });

  it('cross a major boundary as one step, and never move an add-on newer than the default down', () => {
    const major = catalog('1.32', { 'vpc-cni': { versions: ['v2.0.1-eksbuild.1', 'v1.9.0-eksbuild.1'], defaultVersion: 'v2.0.1-eksbuild.1' } });
    expect(addonTarget('vpc-cni', 'v1.9.0-eksbuild.1', major)).toBe('v2.0.1-eksbuild.1');
    const ahead = withAddon('vpc-cni', 'v1.21.1-eksbuild.1', { 'vpc-cni': { versions: ['v1.21.1-eksbuild.1', 'v1.19.2-eksbuild.1'], defaultVersion: 'v1.19.2-eksbuild.1' } }, {});
    expect(addonSteps(ahead, () => true)).toEqual({ changes: [], findings: [] });
  });
});

describe('add-ons before the control plane moves (preHopAddonChanges)', () => {
  // coredns v1.11.3 is the 1.32 default but not listed for 1.33; v1.11.4 is listed for both.
  const coredns132 = { coredns: { versions: ['v1.11.4-eksbuild.2', 'v1.11.3-eksbuild.2'], defaultVersion: 'v1.11.3-eksbuild.2' } };
  const coredns133 = { coredns: { versions: ['v1.12.1-eksbuild.2', 'v1.11.4-eksbuild.2'], defaultVersion: 'v1.12.1-eksbuild.2' } };

  it('change nothing when every add-on is listed for the target, and leave kube-proxy to its stage after the node groups', () => {
    expect(preHopAddonChanges(healthyCluster(), '1.33')).toEqual({ changes: [], findings: [] });
  });

  it('move an add-on the target does not list to a version listed for both, and the pre-flight says so (not the old WARN)', () => {
    const cluster = withAddon('coredns', 'v1.11.3-eksbuild.2', coredns132, coredns133);
    expect(addonSteps(cluster, () => true).changes).toEqual([]);
    expect(preHopAddonChanges(cluster, '1.33')).toEqual({ changes: [{ name: 'coredns', from: 'v1.11.3-eksbuild.2', to: 'v1.11.4-eksbuild.2' }], findings: [] });
    expect(checkAddonCompatibility(cluster, hop).map((finding) => `${finding.severity} ${finding.message}`)).toEqual([
      'INFO v1.11.3-eksbuild.2 is not listed for 1.33; before the control plane, the add-on stage moves it to v1.11.4-eksbuild.2, listed for both 1.32 and 1.33',
    ]);
  });

  it('block the hop when no version newer than the installed one is listed for both (never a downgrade)', () => {
    const cluster = withAddon('coredns', 'v1.11.5-eksbuild.1', { coredns: { versions: ['v1.11.5-eksbuild.1', 'v1.11.4-eksbuild.2'] } }, coredns133);
    const { changes, findings } = preHopAddonChanges(cluster, '1.33');
    expect(changes).toEqual([]);
    expect(findings.map((finding) => [finding.severity, finding.check, finding.resource])).toEqual([['BLOCK', 'addon-compatibility', 'addon/coredns']]);
    expect(checkAddonCompatibility(cluster, hop).map((finding) => finding.severity)).toEqual(['BLOCK']);
  });

  it('walk a one-minor add-on to a version listed for both, one stage per minor', () => {
    const cluster = withAddon(
      'vpc-cni',
      'v1.17.1-eksbuild.1',
      { 'vpc-cni': { versions: ['v1.19.2-eksbuild.1', 'v1.18.6-eksbuild.1', 'v1.17.1-eksbuild.1'], defaultVersion: 'v1.18.6-eksbuild.1' } },
      { 'vpc-cni': { versions: ['v1.20.0-eksbuild.1', 'v1.19.2-eksbuild.1'], defaultVersion: 'v1.20.0-eksbuild.1' } },
    );
    // The stage at 1.32 takes it to the 1.32 default first (plan.ts runs addonChanges before the pre-hop stage).
    const atDefault = applyStage(cluster, { kind: 'addons', clusterVersion: '1.32', addons: addonSteps(cluster, () => true).changes });
    expect(preHopStages(atDefault, '1.33')).toEqual(['vpc-cni v1.18.6-eksbuild.1 → v1.19.2-eksbuild.1']);
    expect(preHopStages(cluster, '1.33')).toEqual(['vpc-cni v1.17.1-eksbuild.1 → v1.18.6-eksbuild.1', 'vpc-cni v1.18.6-eksbuild.1 → v1.19.2-eksbuild.1']);
    expect(checkAddonCompatibility(cluster, hop).map((finding) => finding.message)).toEqual([
      'v1.17.1-eksbuild.1 is not listed for 1.33; before the control plane, the add-on stage moves it to v1.18.6-eksbuild.1 → v1.19.2-eksbuild.1, one minor version at a time; the last is listed for both 1.32 and 1.33',
    ]);
  });

  it('block the hop when a one-minor add-on would have to skip a minor to become compatible', () => {
    const cluster = withAddon(
      'vpc-cni',
      'v1.17.1-eksbuild.1',
      { 'vpc-cni': { versions: ['v1.19.2-eksbuild.1', 'v1.17.1-eksbuild.1'], defaultVersion: 'v1.17.1-eksbuild.1' } },
      { 'vpc-cni': { versions: ['v1.20.0-eksbuild.1', 'v1.19.2-eksbuild.1'], defaultVersion: 'v1.20.0-eksbuild.1' } },
    );
    const { changes, findings } = preHopAddonChanges(cluster, '1.33');
    expect(changes).toEqual([]);
    expect(findings.map((finding) => [finding.severity, finding.check, finding.resource])).toEqual([['BLOCK', 'addon-step-gap', 'addon/vpc-cni']]);
    expect(findings[0]?.message).toContain('EKS lists no v1.18 build for Kubernetes 1.32');
    // One finding for the add-on, not the same gap again as a WARN at the current version.
    expect(checkAddonCompatibility(cluster, hop).map((finding) => `${finding.severity} ${finding.check}`)).toEqual(['BLOCK addon-step-gap']);
  });

  it('block a hop whose add-on catalog could not be read, when there are add-ons (the old check only warned)', () => {
    const unread = healthyCluster({ addonCatalogs: healthyCluster().addonCatalogs.filter((offered) => offered.kubernetesVersion !== '1.33') });
    expect(checkAddonCompatibility(unread, hop).map((finding) => `${finding.severity} ${finding.check}`)).toEqual(['BLOCK addon-catalog']);
    expect(checkAddonCompatibility({ ...unread, addons: [] }, hop)).toEqual([]);
  });
});
