import type { Scenario } from './scenario.ts';
import { APPROVE_ACTION } from '../../shared/upgrade/approval/decision.ts';
import { SandboxAutoScaling } from '../account/services/autoscaling.ts';
import { SandboxEc2 } from '../account/services/ec2.ts';
import { kubernetesNode, kubernetesPod, podDisruptionBudget } from '../k8s/fake-api-server.ts';
import { totalStateTransitions } from '../stepfunctions/runner.ts';
import { approvalRequest, clusterVersions, pressButton, runUpgrade, seedSelfManagedGroup, seedUpgradeFleet, startKubernetesApi, withUpgrades } from './upgrade-fleet.ts';

const slackText = (sandbox: { slack: { messages: readonly { body: string }[] } }) => sandbox.slack.messages.map((message) => message.body).join('\n');

/** Two hops, 1.32 → 1.34, of a cluster with 4 add-ons and 4 node groups: one hop per window, as by default. */
export const upgradeTwoHops: Scenario = {
  name: 'upgrade-two-hops',
  title: 'Maintenance windows open: eksops upgrades prod-eu 1.32 → 1.34 one hop per window, stage by stage, and reports each stage',
  sandbox: { configure: withUpgrades({ durationMinutes: 600 }) },
  async run({ sandbox, step, check, timeline }) {
    seedUpgradeFleet(sandbox, 'prod-eu');
    step('The Scheduler schedule of the window starts cluster-upgrade for prod-eu, target 1.34');
    const started = sandbox.aws.clock.now().getTime();
    const first = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.34' }, timeline);
    const afterFirst = clusterVersions(sandbox, 'prod-eu');
    check(`the first window did one hop (${first.status}; ${totalStateTransitions(first)} state transitions)`, first.status === 'SUCCEEDED' && first.childExecutions.length === 1 && afterFirst.cluster === '1.33');
    check('every node group and kube-proxy followed to 1.33', Object.values(afterFirst.nodegroups).every((version) => version === '1.33') && afterFirst.addons['kube-proxy'] === 'v1.33.0-eksbuild.3');
    check(`it took ${Math.round((sandbox.aws.clock.now().getTime() - started) / 60_000)} min of virtual time, inside the 600-minute window`, sandbox.aws.clock.now().getTime() - started <= 600 * 60_000);
    check('Slack got the plan (this window, later windows), each stage, and why the next hop waits', /This window/.test(slackText(sandbox)) && /Later windows/.test(slackText(sandbox)) && /canary node group/.test(slackText(sandbox)) && /1\.33 → 1\.34 waits: this window did 1 hop/.test(slackText(sandbox)));
    step('A week later the next window opens: 1.33 has baked, EKS has re-evaluated the insights');
    sandbox.aws.clock.advance(7 * 24 * 3600_000 - (sandbox.aws.clock.now().getTime() - started));
    const second = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.34' }, timeline);
    const versions = clusterVersions(sandbox, 'prod-eu');
    check(`the second window did the second hop (${second.status})`, second.status === 'SUCCEEDED' && versions.cluster === '1.34');
    check('every node group is at 1.34', Object.values(versions.nodegroups).every((version) => version === '1.34'));
    check('kube-proxy and the add-ons are at the defaults of 1.34', versions.addons['kube-proxy'] === 'v1.34.0-eksbuild.3' && versions.addons['vpc-cni'] === 'v1.21.1-eksbuild.1' && versions.addons.coredns === 'v1.12.3-eksbuild.1');
    check('Slack got the completion with its timeline', /complete: 1.34/.test(slackText(sandbox)));
  },
};

/** Two hops asked of one window that closes before the second: deferred, then resumed in the next window from the live state. */
export const upgradeWindowResume: Scenario = {
  name: 'upgrade-window-resume',
  title: 'The window closes mid-run: eksops defers the next stage and the next window resumes from the cluster state',
  sandbox: { configure: withUpgrades({ durationMinutes: 180, hopsPerWindow: 2 }) },
  async run({ sandbox, step, check, timeline }) {
    seedUpgradeFleet(sandbox, 'prod-eu');
    step('A 3-hour window that may carry two hops opens (upgrade.hopsPerWindow: 2); the upgrade to 1.34 needs two');
    const first = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.34' }, timeline);
    check('the first run ends deferred, not failed', first.status === 'SUCCEEDED' && /deferred/.test(slackText(sandbox)));
    check('the first hop is complete: control plane and node groups at 1.33', clusterVersions(sandbox, 'prod-eu').cluster === '1.33' && Object.values(clusterVersions(sandbox, 'prod-eu').nodegroups).every((version) => version === '1.33'));
    step('A week later the next window opens');
    sandbox.aws.clock.advance(7 * 24 * 3600_000 - (sandbox.aws.clock.now().getTime() % (24 * 3600_000)));
    const second = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.34' }, timeline);
    const versions = clusterVersions(sandbox, 'prod-eu');
    check('the second run resumes and completes the second hop', second.status === 'SUCCEEDED' && versions.cluster === '1.34' && Object.values(versions.nodegroups).every((version) => version === '1.34'));
  },
};

/** A PodDisruptionBudget blocks a drain: the node group update fails with PodEvictionFailure. */
export const upgradePodEviction: Scenario = {
  name: 'upgrade-pod-eviction-failure',
  title: 'A node group cannot be drained (PodEvictionFailure): the run stops there and says what to do',
  sandbox: { configure: withUpgrades({ durationMinutes: 600 }) },
  async run({ sandbox, step, check, timeline }) {
    seedUpgradeFleet(sandbox, 'prod-eu');
    step('Node group "web" has a PodDisruptionBudget allowing no disruption: its drain will fail');
    sandbox.aws.services.eks.updates.planFailure((scope, type) => scope.nodegroupName === 'web' && type === 'VersionUpdate', {
      errors: [{ errorCode: 'PodEvictionFailure', errorMessage: 'Reached max retries while trying to evict pods from nodes in node group web', resourceIds: ['ip-10-0-1-23.eu-west-1.compute.internal'] }],
      afterMs: 50 * 60_000,
    });
    const failed = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' }, timeline);
    const text = slackText(sandbox);
    check(`the execution failed at the node-group stage (${failed.status})`, failed.status === 'FAILED');
    check('Slack names PodEvictionFailure and the remedy', /PodEvictionFailure/.test(text) && /PodDisruptionBudget/.test(text));
    check('web stayed at 1.32, the control plane moved to 1.33', clusterVersions(sandbox, 'prod-eu').nodegroups.web === '1.32' && clusterVersions(sandbox, 'prod-eu').cluster === '1.33');
    step('The PDB is fixed; the upgrade is started again');
    const rerun = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' }, timeline);
    check('the re-run continues from the cluster state and completes', rerun.status === 'SUCCEEDED' && clusterVersions(sandbox, 'prod-eu').nodegroups.web === '1.33');
  },
};

/** A cluster that asks for approval: the buttons in Slack, a refused click, the approver's click. */
export const upgradeApproval: Scenario = {
  name: 'upgrade-approval',
  title: 'prod-eu asks before upgrading: Approve / Abort in Slack, only an approver can answer, then the upgrade runs',
  sandbox: { configure: withUpgrades({ durationMinutes: 600, approval: true }) },
  async run({ sandbox, step, check, timeline }) {
    seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups: 2 });
    step('The window opens; prod-eu has upgrade.approval: true, approvers [U0SANDBOXSRE]');
    const running = runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' }, timeline);
    const request = await approvalRequest(sandbox);
    check('Slack got the plan and Approve / Abort buttons; EKS is untouched', request.body.includes(APPROVE_ACTION) && sandbox.aws.account.changes.every((change) => change.service !== 'eks'));
    step('Twelve minutes later U0DEVELOPER clicks Approve (Slack posts the signed click to the function URL)');
    sandbox.aws.clock.advance(12 * 60_000);
    await pressButton(sandbox, request, APPROVE_ACTION, 'U0DEVELOPER');
    check('they are told, privately, that they are not an approver; nothing starts', /not one of the approvers/.test(slackText(sandbox)) && sandbox.aws.account.changes.every((change) => change.service !== 'eks'));
    step('U0SANDBOXSRE clicks Approve');
    await pressButton(sandbox, request, APPROVE_ACTION, 'U0SANDBOXSRE');
    const execution = await running;
    check(`the upgrade ran to 1.33 (${execution.status})`, execution.status === 'SUCCEEDED' && clusterVersions(sandbox, 'prod-eu').cluster === '1.33');
    check('the request now reads "Approved by" instead of showing buttons', /Approved by <@U0SANDBOXSRE>/.test(slackText(sandbox)));
  },
};

/** The same PodDisruptionBudget as upgrade-pod-eviction-failure, found by pre-flight before anything changes. */
export const upgradePdbPreflight: Scenario = {
  name: 'upgrade-pdb-preflight',
  title: 'With kubernetesChecks, pre-flight reads the PodDisruptionBudgets and blocks the hop before any change',
  sandbox: { configure: withUpgrades({ durationMinutes: 600, kubernetesChecks: true }) },
  async run({ sandbox, step, check, timeline }) {
    seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups: 2 });
    step('prod-eu runs payments/ledger with 3 replicas, one not Ready, and a PodDisruptionBudget minAvailable: 2');
    const pinned = podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 2, status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 } });
    const api = await startKubernetesApi(sandbox, 'prod-eu', [pinned]);
    try {
      const blocked = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' }, timeline);
      check(`the run stopped at pre-flight (${blocked.status}); EKS is untouched`, blocked.status === 'FAILED' && sandbox.aws.account.changes.every((change) => change.service !== 'eks'));
      check('Slack names the budget, its numbers and the remedy', /pdb\/payments\/ledger/.test(slackText(sandbox)) && /disruptionsAllowed=0/.test(slackText(sandbox)));
      check('eksops read the budgets through the cluster API with a verified EKS token', api.requests.some((request) => request.status === 200) && api.requests.every((request) => request.status !== 401));
      step('The team fixes the not-Ready pod: the budget allows one disruption; the next window starts');
      api.setPodDisruptionBudgets([podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 2, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } })]);
      const rerun = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' }, timeline);
      check(`the upgrade completes (${rerun.status})`, rerun.status === 'SUCCEEDED' && clusterVersions(sandbox, 'prod-eu').cluster === '1.33');
    } finally {
      await api.stop();
    }
  },
};

/** A self-managed group moved onto the recommended AMI by an Instance Refresh, after the managed node groups, each node drained first. */
export const upgradeSelfManagedRefresh: Scenario = {
  name: 'upgrade-self-managed-refresh',
  title: 'With refreshSelfManaged, a self-managed group gets the recommended EKS AMI of the new version through an Instance Refresh, each node drained first',
  sandbox: { configure: withUpgrades({ durationMinutes: 600, refreshSelfManaged: true }) },
  async run({ sandbox, step, check, timeline }) {
    seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups: 2 });
    const { here, account } = sandbox.aws;
    const { oldAmi } = seedSelfManagedGroup(sandbox, 'prod-eu', 'legacy-workers');
    const ec2 = account.service(SandboxEc2);
    const before = account.service(SandboxAutoScaling).groupOf(here, 'legacy-workers')?.instanceIds ?? [];
    const api = await startKubernetesApi(sandbox, 'prod-eu');
    try {
      const nodes = before.map((id, index) => kubernetesNode(`ip-10-0-2-${index + 10}.eu-west-1.compute.internal`, ec2.instance(here, id)?.availabilityZone ?? '', id));
      api.setObjects({
        nodes,
        pods: nodes.flatMap((node, index) => [kubernetesPod('shop', `web-7d4b9-${index}abcd`, node.metadata.name), kubernetesPod('kube-system', `aws-node-${index}xyz`, node.metadata.name, { owner: 'DaemonSet' })]),
      });
      step('prod-eu has a self-managed group, legacy-workers (3 instances, launch template version 1, an old AL2023 AMI), each a node running a web pod and aws-node');
      const execution = await runUpgrade(sandbox, { cluster: 'prod-eu', targetVersion: '1.33' }, timeline);
      const group = account.service(SandboxAutoScaling).groupOf(here, 'legacy-workers');
      const amis = new Set((group?.instanceIds ?? []).map((instance) => ec2.instance(here, instance)?.imageId));
      check(`the upgrade completed (${execution.status})`, execution.status === 'SUCCEEDED' && clusterVersions(sandbox, 'prod-eu').cluster === '1.33');
      check(`legacy-workers ends on a new launch template version (${group?.launchTemplate?.Version ?? '?'}), every instance on one AMI that is not the old one`, group?.launchTemplate?.Version !== '1' && amis.size === 1 && !amis.has(oldAmi));
      const objects = api.objects() as { nodes: { spec: { unschedulable?: boolean } }[]; pods: { metadata: { name: string } }[] };
      check('every old node was cordoned and its web pod evicted; the DaemonSet pods stayed', objects.nodes.every((node) => node.spec.unschedulable === true) && objects.pods.every((pod) => pod.metadata.name.startsWith('aws-node-')));
      check('each instance was let go only after its drain (CompleteLifecycleAction CONTINUE)', before.every((id) => account.changes.some((change) => change.action === 'CompleteLifecycleAction' && (change.detail ?? '').includes(id))));
      check('Slack reported the refresh as a stage, and no unfinished drain', /legacy-workers/.test(slackText(sandbox)) && !/node drain did not finish/.test(slackText(sandbox)));
    } finally {
      await api.stop();
    }
  },
};

export const UPGRADE_SCENARIOS: readonly Scenario[] = [upgradeTwoHops, upgradeWindowResume, upgradePodEviction, upgradeApproval, upgradePdbPreflight, upgradeSelfManagedRefresh];
