import { afterEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../local/sandbox.ts';
import { clusterVersions, runUpgrade, seedUpgradeFleet, withUpgrades } from '../../../local/scenarios/upgrade-fleet.ts';
import { SandboxEksInsights } from '../../../local/account/services/eks-insights.ts';
import type { ExecutionResult } from '../../../local/stepfunctions/runner.ts';
import { hopHistory } from '../../../shared/upgrade/hop-history.ts';
import { observeCluster } from '../../../shared/upgrade/observe.ts';
import { planUpgrade } from '../../../shared/upgrade/plan.ts';
import type { RunState } from '../../../shared/upgrade/run-state.ts';
import { clusterUpgradeConfig } from '../../../shared/upgrade/settings.ts';
import { describeStage } from '../../../shared/upgrade/stage.ts';
import { upgradeClientsFor } from '../../../shared/upgrade/clients.ts';

/**
 * Upgrades across several minors, over several windows: the plan people read is the run that happens, one hop per
 * window unless asked, each hop after its bake period and gated by insights EKS evaluated after the previous hop.
 */
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const DAY_MS = 24 * 3600_000;

async function fleet(options: Parameters<typeof withUpgrades>[0] = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ configure: withUpgrades({ durationMinutes: 600, ...options }) });
  seedUpgradeFleet(sandbox, 'prod-eu');
  return sandbox;
}

/** What `eksops upgrade plan` computes (cli/commands/upgrade.ts): the same observation, target and planner as Begin. */
async function plan(box: Sandbox) {
  const settings = clusterUpgradeConfig(box.config, 'prod-eu')?.settings ?? box.config.upgrade.defaults;
  const now = box.aws.clock.now();
  const snapshot = await observeCluster(upgradeClientsFor(box.aws.clients, box.aws.here), 'prod-eu', { now });
  return { target: snapshot.target, ...planUpgrade(snapshot, settings, snapshot.target, now, hopHistory(snapshot, [])) };
}

const runOf = (execution: ExecutionResult): RunState => (execution.output as { run: RunState }).run;
const executedStages = (execution: ExecutionResult) => runOf(execution).timeline.filter((entry) => entry.outcome === 'done').map((entry) => entry.stage);
const slackText = (box: Sandbox, since = 0) => box.slack.messages.slice(since).map((message) => message.body).join('\n');

describe('upgrades over several hops', () => {
  it('runs, window by window, exactly the stages the plan showed, with each hop\'s add-ons and kube-proxy', async () => {
    const box = await fleet();
    const planned = await plan(box);
    expect(planned.target).toBe('1.35');
    expect(planned.blockedAt).toBeUndefined();
    const labels = planned.stages.map(describeStage);
    // Every hop with its own add-on and kube-proxy stages (the catalogs of every version up to the target were read).
    for (const version of ['1.33', '1.34', '1.35']) expect(labels).toContainEqual(expect.stringMatching(new RegExp(`^kube-proxy: .*v${version.replace('.', '\\.')}\\.`)));
    expect(planned.findings.filter((finding) => finding.check === 'addon-catalog')).toEqual([]);
    // One hop per window by default: this window's stages end before the second control-plane stage.
    const secondHop = labels.indexOf('control plane 1.33 → 1.34');
    expect(planned.thisWindow).toBe(secondHop);
    expect(planned.pause?.reason).toBe('hops-per-window');

    const executed: string[][] = [];
    for (let window = 0; window < 5 && clusterVersions(box, 'prod-eu').cluster !== '1.35'; window++) {
      const execution = await runUpgrade(box, { cluster: 'prod-eu' });
      expect(execution.status).toBe('SUCCEEDED');
      executed.push(executedStages(execution));
      box.aws.clock.advance(7 * DAY_MS);
    }
    expect(executed).toHaveLength(3);
    // Window by window, as the plan split them.
    const bounds = [0, ...planned.laterWindows, labels.length];
    expect(executed).toEqual(bounds.slice(1).map((end, index) => labels.slice(bounds[index], end)));
  });

  it('starts the next hop with the decision the previous hop ended on: the cluster is observed once at the boundary, not twice', async () => {
    const box = await fleet({ hopsPerWindow: 2 });
    await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.34');
    const calls = box.aws.account.calls.map((call) => call.operation);
    const updates = calls.flatMap((operation, index) => (operation === 'UpdateClusterVersion' ? [index] : []));
    expect(updates).toHaveLength(2);
    const secondHop = updates[1] ?? -1;
    // With two hops in one window, the second waits for an insights refresh: the poll that saw it end, then
    // the one observation that decided the second hop's control plane, and nothing read again before it started.
    const refreshPoll = calls.slice(0, secondHop).lastIndexOf('DescribeInsightsRefresh');
    expect(refreshPoll).toBeGreaterThan(updates[0] ?? Infinity);
    expect(calls.slice(refreshPoll, secondHop).filter((operation) => operation === 'ListNodegroups')).toHaveLength(1);
  });

  it('does one hop per window, says why it stops, and waits out the bake period before the next hop', async () => {
    const box = await fleet({ bakeHours: 48 });
    const first = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(first.status).toBe('SUCCEEDED');
    expect(runOf(first).step).toMatchObject({ action: 'paused', pause: { reason: 'hops-per-window', hop: { from: '1.33', to: '1.34' } } });
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
    expect(slackText(box)).toMatch(/1\.33 → 1\.34 waits: this window did 1 hop\(s\), as many as upgrade.hopsPerWindow \(1\) allows/);

    // A window a day later: the new minor has baked 24 of its 48 hours; nothing changes, and Slack says until when.
    box.aws.clock.advance(DAY_MS);
    const seen = box.slack.messages.length;
    const early = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(runOf(early).step).toMatchObject({ action: 'paused', pause: { reason: 'bake' } });
    expect(box.aws.account.callCount('eks', 'UpdateClusterVersion')).toBe(1);
    expect(slackText(box, seen)).toMatch(/bakes for 48 h .* not before \d{4}-\d{2}-\d{2}T/);

    box.aws.clock.advance(2 * DAY_MS);
    const later = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(later.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.34');
  });

  it('does not carry a second hop onto a WARNING insight evaluated before the first hop: it re-evaluates, then blocks', async () => {
    const box = await fleet({ hopsPerWindow: 2 });
    const insights = box.aws.account.service(SandboxEksInsights);
    // At 1.32, EKS marks what 1.34 removes WARNING (a later version), not ERROR.
    insights.setStatus(box.aws.here, 'prod-eu', 'Deprecated APIs removed in Kubernetes v1.34', 'WARNING');
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.34' });
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
    expect(box.aws.account.changes.filter((change) => change.action === 'StartInsightsRefresh')).toHaveLength(1);
    expect(box.aws.account.changes.filter((change) => change.action === 'UpdateClusterVersion').map((change) => change.detail)).not.toContainEqual(expect.stringContaining('1.34'));
    expect(execution.status).toBe('FAILED');
    expect(slackText(box)).toMatch(/blocked: 1\.33 → 1\.34[\s\S]*Deprecated APIs removed in Kubernetes v1\.34: WARNING for 1\.34/);
  });

  it('lets a known false positive through while its override lasts, and blocks again once it expired', async () => {
    const overridden = (expires: string) => (config: Parameters<ReturnType<typeof withUpgrades>>[0]) => {
      const configured = withUpgrades({ durationMinutes: 600 })(config);
      return { ...configured, upgrade: { ...configured.upgrade, defaults: { ...configured.upgrade.defaults, insightOverrides: [{ id: '', reason: 'the flagged client is a monitoring probe', expires }] } } };
    };
    for (const [expires, outcome] of [['2099-01-01', '1.33'], ['2020-01-01', '1.32']] as const) {
      sandbox = await startSandbox({ configure: overridden(expires) });
      seedUpgradeFleet(sandbox, 'prod-eu');
      const insights = sandbox.aws.account.service(SandboxEksInsights);
      const flagged = insights.seedInsight(sandbox.aws.here, 'prod-eu', { name: 'Client usage of deprecated APIs', kubernetesVersion: '1.33', status: 'ERROR' });
      // The override names the insight's id, which EKS assigns: configure it now that it is known.
      const defaults = sandbox.config.upgrade.defaults;
      defaults.insightOverrides = defaults.insightOverrides.map((override) => ({ ...override, id: flagged.id ?? '' }));
      await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' });
      expect(clusterVersions(sandbox, 'prod-eu').cluster).toBe(outcome);
      expect(slackText(sandbox)).toMatch(outcome === '1.33' ? /INFO\* `cluster` Client usage of deprecated APIs: ERROR, overridden until 2099-01-01/ : /Client usage of deprecated APIs: ERROR for 1\.33 \(its override expired on 2020-01-01\)/);
      await sandbox.close();
      sandbox = undefined;
    }
  });
});
