import { afterEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../local/sandbox.ts';
import { podDisruptionBudget, type FakeKubernetesApi } from '../../../local/k8s/fake-api-server.ts';
import { clusterVersions, runUpgrade, seedUpgradeFleet, startKubernetesApi, withUpgrades } from '../../../local/scenarios/upgrade-fleet.ts';

/**
 * upgrade.kubernetesChecks: before each hop, eksops reads the cluster's PodDisruptionBudgets through its
 * Kubernetes API (an EKS token, the cluster's CA) and blocks the hop when a budget would stall the drains of
 * the node-group stage. The API is a loopback HTTPS server that checks every token's signature.
 */
let sandbox: Sandbox | undefined;
let api: FakeKubernetesApi | undefined;
afterEach(async () => {
  await api?.stop();
  await sandbox?.close();
  api = undefined;
  sandbox = undefined;
});

const slack = (box: Sandbox) => box.slack.messages.map((message) => message.body).join('\n');
const eksChanges = (box: Sandbox) => box.aws.account.changes.filter((change) => change.service === 'eks');
// Three replicas, one not Ready: the budget (minAvailable 2) allows no eviction now.
const pinned = podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 2, status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 } });
const relaxed = podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 2, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } });

async function fleet(kubernetesChecks = true): Promise<Sandbox> {
  sandbox = await startSandbox({ configure: withUpgrades({ durationMinutes: 600, kubernetesChecks }) });
  seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups: 2 });
  return sandbox;
}

describe('the PodDisruptionBudget pre-flight check', () => {
  it('blocks the hop before any change when a budget allows no disruption, and lets a re-run through once it does', async () => {
    const box = await fleet();
    api = await startKubernetesApi(box, 'prod-eu', [pinned]);

    const blocked = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });

    expect(blocked.status).toBe('FAILED');
    expect(eksChanges(box)).toEqual([]);
    expect(slack(box)).toMatch(/BLOCK\* `pdb\/payments\/ledger` PodDisruptionBudget allows 0 disruptions now: the node-group stage of 1\.32 → 1\.33 would fail with PodEvictionFailure/);
    // Read through the API with a token the server verified against the sandbox's credentials.
    expect(api.requests.filter((request) => request.path.startsWith('/apis/policy/v1/poddisruptionbudgets') && request.status === 200).length).toBeGreaterThan(0);
    expect(api.requests.every((request) => request.status !== 401)).toBe(true);

    api.setPodDisruptionBudgets([relaxed]);
    const rerun = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });

    expect(rerun.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
  });

  it('warns, and upgrades, when eksops has no access to the cluster API (no access entry)', async () => {
    const box = await fleet();
    api = await startKubernetesApi(box, 'prod-eu', [pinned]);
    api.forbid();

    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(slack(box)).toMatch(/WARN\* `cluster` PodDisruptionBudgets not checked: the cluster API could not be read/);
    expect(slack(box)).toMatch(/AmazonEKSViewPolicy/);
  });

  it('does not read the cluster API unless upgrade.kubernetesChecks is on', async () => {
    const box = await fleet(false);
    api = await startKubernetesApi(box, 'prod-eu', [pinned]);

    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(api.requests).toEqual([]);
  });
});
