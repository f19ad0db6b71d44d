import { describe, expect, it } from '@jest/globals';
import { checkPodDisruptionBudgets, PDB_UNREADABLE_REMEDY, type PdbSnapshot } from '../../../shared/upgrade/checks/pod-disruption-budgets.ts';
import { preflight } from '../../../shared/upgrade/checks/index.ts';
import { toPdbSnapshot } from '../../../shared/upgrade/observe-pod-disruption-budgets.ts';
import type { ClusterSnapshot } from '../../../shared/upgrade/snapshot.ts';
import { healthyCluster, selfManagedGroup } from './snapshot-fixture.ts';

const hop = { from: '1.32', to: '1.33', now: new Date('2026-03-02T09:00:00Z') };

const pdb = (name: string, fields: Partial<PdbSnapshot>): PdbSnapshot => ({ namespace: 'shop', name, selector: `app=${name}`, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, ...fields });
const summary = (findings: ReturnType<typeof checkPodDisruptionBudgets>) => findings.map((finding) => `${finding.severity} ${finding.check} ${finding.resource}`);

describe('PodDisruptionBudget pre-flight check', () => {
  it('finds nothing when the checks are off, or every budget spares a pod', () => {
    expect(checkPodDisruptionBudgets(undefined, hop)).toEqual([]);
    expect(checkPodDisruptionBudgets([], hop)).toEqual([]);
    expect(checkPodDisruptionBudgets([pdb('web', { minAvailable: 2 }), pdb('api', { maxUnavailable: '25%', desiredHealthy: 3, currentHealthy: 4, expectedPods: 4 })], hop)).toEqual([]);
  });

  it('blocks a budget that allows zero disruptions, telling apart unhealthy pods from a budget at the replica count (snapshot)', () => {
    const findings = checkPodDisruptionBudgets(
      [
        // 2 of 3 healthy, 3 desired: the pods are the problem.
        pdb('checkout', { minAvailable: 3, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 3, expectedPods: 4 }),
        // minAvailable 2 of 2 replicas: not "never" by its spec, but desiredHealthy equals expectedPods.
        pdb('cart', { minAvailable: 2, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 }),
        // 25% of 4 = 1 may go, but one pod is down already.
        pdb('search', { maxUnavailable: '25%', disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 3, expectedPods: 4 }),
      ],
      hop,
    );
    expect(summary(findings)).toEqual(['BLOCK pdb-zero-disruptions pdb/shop/checkout', 'BLOCK pdb-never-allows-disruption pdb/shop/cart', 'BLOCK pdb-zero-disruptions pdb/shop/search']);
    expect(findings).toMatchSnapshot();
  });

  it('blocks maxUnavailable 0 and minAvailable 100% even while a surge lets one disruption through (snapshot)', () => {
    // During a rollout surge currentHealthy exceeds expectedPods, so the controller allows a disruption for a moment;
    // a drain later cannot count on that.
    const findings = checkPodDisruptionBudgets(
      [
        pdb('ledger', { minAvailable: undefined, maxUnavailable: 0, disruptionsAllowed: 1, currentHealthy: 4, desiredHealthy: 3, expectedPods: 3 }),
        pdb('queue', { maxUnavailable: '0%', disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 }),
        pdb('db', { minAvailable: '100%', disruptionsAllowed: 1, currentHealthy: 4, desiredHealthy: 3, expectedPods: 3 }),
      ],
      hop,
    );
    expect(summary(findings)).toEqual(['BLOCK pdb-never-allows-disruption pdb/shop/ledger', 'BLOCK pdb-never-allows-disruption pdb/shop/queue', 'BLOCK pdb-never-allows-disruption pdb/shop/db']);
    expect(findings.map((finding) => finding.message)).toEqual([
      'PodDisruptionBudget never allows evicting its 3 pod(s) (maxUnavailable=0): the node-group stage of 1.32 → 1.33 would fail with PodEvictionFailure',
      'PodDisruptionBudget never allows evicting its 3 pod(s) (maxUnavailable=0%): the node-group stage of 1.32 → 1.33 would fail with PodEvictionFailure',
      'PodDisruptionBudget never allows evicting its 3 pod(s) (minAvailable=100%): the node-group stage of 1.32 → 1.33 would fail with PodEvictionFailure',
    ]);
    expect(findings).toMatchSnapshot();
  });

  it('ignores budgets that select no pods, whatever they say', () => {
    const empty = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    expect(checkPodDisruptionBudgets([pdb('old', { ...empty, maxUnavailable: 0 }), pdb('gone', { ...empty, minAvailable: '100%' }), pdb('none', { ...empty, minAvailable: 1, desiredHealthy: 1 })], hop)).toEqual([]);
  });

  it('only warns when no selected pod is healthy and unhealthyPodEvictionPolicy is AlwaysAllow', () => {
    const down = { minAvailable: 1, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1, expectedPods: 2 };
    expect(summary(checkPodDisruptionBudgets([pdb('batch', { ...down, unhealthyPodEvictionPolicy: 'AlwaysAllow' })], hop))).toEqual(['WARN pdb-zero-disruptions pdb/shop/batch']);
    // IfHealthyBudget (the default) keeps even unhealthy pods while currentHealthy < desiredHealthy.
    expect(summary(checkPodDisruptionBudgets([pdb('batch', { ...down, unhealthyPodEvictionPolicy: 'IfHealthyBudget' })], hop))).toEqual(['BLOCK pdb-zero-disruptions pdb/shop/batch']);
    expect(summary(checkPodDisruptionBudgets([pdb('batch', { ...down, currentHealthy: 1, desiredHealthy: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' })], hop))).toEqual(['BLOCK pdb-zero-disruptions pdb/shop/batch']);
  });

  it('warns, without failing, when the cluster API could not be read, and when the list was cut (snapshot)', () => {
    const unreadable = checkPodDisruptionBudgets({ error: 'KubernetesAccessError: the cluster API forbids eksops GET /apis/policy/v1/poddisruptionbudgets (403 Forbidden)', remedy: 'associate AmazonEKSViewPolicy' }, hop);
    expect(unreadable).toMatchSnapshot();
    expect(checkPodDisruptionBudgets({ error: 'timeout' }, hop)[0]?.remedy).toBe(PDB_UNREADABLE_REMEDY);
    const cut = checkPodDisruptionBudgets({ items: [pdb('cart', { minAvailable: 2, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 })], truncatedAt: 5000 }, hop);
    expect(summary(cut)).toEqual(['BLOCK pdb-never-allows-disruption pdb/shop/cart', 'WARN pdb-truncated cluster']);
    expect(cut[1]).toMatchSnapshot();
  });

  it('reads the API object into the snapshot: selector as kubectl shows it, missing status as zero', () => {
    expect(
      toPdbSnapshot({
        metadata: { namespace: 'kube-system', name: 'coredns' },
        spec: { maxUnavailable: 1, selector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
        status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
      }),
    ).toEqual({ namespace: 'kube-system', name: 'coredns', maxUnavailable: 1, selector: 'k8s-app=kube-dns,tier in (a,b),!canary', unhealthyPodEvictionPolicy: 'AlwaysAllow', disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    expect(toPdbSnapshot({ metadata: { namespace: 'ns', name: 'all' }, spec: { minAvailable: '50%', selector: {} } })).toEqual({ namespace: 'ns', name: 'all', minAvailable: '50%', selector: '', disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });
});

describe('which clusters a PodDisruptionBudget blocks', () => {
  const pinned = [pdb('ledger', { minAvailable: 2, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 })];
  const severities = (cluster: ClusterSnapshot, refreshSelfManaged: boolean) => preflight(cluster, { ...hop, refreshSelfManaged }).filter((finding) => finding.resource === 'pdb/shop/ledger').map((finding) => finding.severity);

  it('blocks where a stage drains nodes: managed node groups, or self-managed groups eksops refreshes (its hook drains them)', () => {
    expect(severities(healthyCluster({ podDisruptionBudgets: pinned }), false)).toEqual(['BLOCK']);
    const selfManagedOnly = healthyCluster({ podDisruptionBudgets: pinned, nodegroups: [], selfManagedGroups: [selfManagedGroup('legacy-workers')] });
    expect(severities(selfManagedOnly, true)).toEqual(['BLOCK']);
    // Left alone (no refresh): nothing eksops does drains them, so a warning.
    expect(severities(selfManagedOnly, false)).toEqual(['WARN']);
  });
});
