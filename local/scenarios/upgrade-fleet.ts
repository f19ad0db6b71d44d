import { executionName } from '../../shared/upgrade/execution-name.ts';
import { SandboxEc2Subnets } from '../account/services/ec2-subnets.ts';
import { SandboxAutoScaling } from '../account/services/autoscaling.ts';
import { SandboxEc2LaunchTemplates } from '../account/services/ec2-launch-templates.ts';
import { SandboxEksAddons } from '../account/services/eks-addons.ts';
import { ADDON_VERSIONS, KUBERNETES_VERSIONS } from '../account/services/eks-catalog.ts';
import { SandboxEksInsights } from '../account/services/eks-insights.ts';
import { compareMinor } from '../../shared/upgrade/versions.ts';
import type { Sandbox } from '../sandbox.ts';
import { APPROVE_ACTION } from '../../shared/upgrade/approval/decision.ts';
import { type Click, clickEvent } from '../sinks/slack-interactions.ts';
import type { SlackSinkMessage } from '../sinks/slack-sink.ts';
import type { Config } from '../../shared/config/schema.ts';
import type { PodDisruptionBudget } from '../../shared/k8s/client.ts';
import { SANDBOX_CREDENTIALS } from '../account/in-memory-aws.ts';
import { FakeKubernetesApi } from '../k8s/fake-api-server.ts';
import type { ExecutionResult } from '../stepfunctions/runner.ts';
import { scheduleInput, scheduleLogicalId } from '../../shared/upgrade/schedules.ts';
import { upgradeStateMachineName } from '../../shared/upgrade/state-machine.ts';
import type { Timeline } from './timeline.ts';

/** The sandbox deploys stage dev. */
export const UPGRADE_MACHINE = upgradeStateMachineName('dev');
export const FLEET_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver'] as const;

export interface FleetOptions {
  version?: string;
  nodegroups?: number;
  /** Nodes per group: more nodes, more drain batches, a longer update. */
  desiredSize?: number;
  /** Node groups at another version than the control plane (a hop left half done). */
  nodegroupVersion?: string;
  /** Add-ons at the defaults of another version (kube-proxy apart: `kubeProxyAt`). */
  addonsAt?: string;
  kubeProxyAt?: string;
}

/**
 * A cluster as the upgrade scenarios, tests and bench start from: 4 add-ons at the defaults of its version,
 * managed node groups (the first named `system`, the canary), subnets with free addresses.
 */
export function seedUpgradeFleet(sandbox: Sandbox, cluster: string, options: FleetOptions = {}): string[] {
  const { aws } = sandbox;
  const version = options.version ?? '1.32';
  aws.services.eks.seedCluster(aws.here, cluster, { version });
  const subnets = aws.account.service(SandboxEc2Subnets);
  for (const [subnet, zone] of [['subnet-0a1', 'a'], ['subnet-0b2', 'b']] as const) subnets.seedSubnet(aws.here, subnet, { availableIps: 240, availabilityZone: `${aws.here.region}${zone}` });
  const addons = aws.account.service(SandboxEksAddons);
  for (const addon of FLEET_ADDONS) {
    const at = addon === 'kube-proxy' ? (options.kubeProxyAt ?? options.addonsAt) : options.addonsAt;
    const seeded = ADDON_VERSIONS.find((entry) => entry.addonName === addon && entry.defaultFor.includes(at ?? version));
    addons.seedAddon(aws.here, cluster, addon, seeded ? { version: seeded.addonVersion } : {});
  }
  const count = options.nodegroups ?? 4;
  const names = ['system', 'web', 'batch', 'gpu'].slice(0, count);
  for (let index = names.length; index < count; index++) names.push(`pool-${String(index).padStart(2, '0')}`);
  for (const name of names) aws.services.eksNodegroups.seedNodegroup(aws.here, cluster, name, { version: options.nodegroupVersion ?? version, scalingConfig: { minSize: 1, maxSize: 6, desiredSize: options.desiredSize ?? 2 }, updateConfig: { maxUnavailable: 1 } });
  // EKS's upgrade-readiness insights, one per later version it offers, passing, evaluated now.
  const insights = aws.account.service(SandboxEksInsights);
  for (const offered of KUBERNETES_VERSIONS.filter((entry) => compareMinor(entry.version, version) > 0)) {
    insights.seedInsight(aws.here, cluster, { name: `Deprecated APIs removed in Kubernetes v${offered.version}`, kubernetesVersion: offered.version, status: 'PASSING' });
  }
  return names;
}

/** The sandbox configuration with upgrades on: every cluster gets a window, `canary` is the canary group. */
export function withUpgrades(
  settings: { durationMinutes?: number; maxConcurrency?: number; canary?: string; approval?: boolean; approvalTimeoutMinutes?: number; kubernetesChecks?: boolean; refreshSelfManaged?: boolean; hopsPerWindow?: number; bakeHours?: number } = {},
) {
  return (config: Config): Config => ({
    ...config,
    upgrade: {
      ...config.upgrade,
      enabled: true,
      // The sandbox's self-managed nodes run with this role (the only one an Instance Refresh may pass).
      ...(settings.refreshSelfManaged ? { nodeRoleArns: ['arn:aws:iam::111122223333:role/eksops-sandbox-nodes'] } : {}),
      defaults: {
        ...config.upgrade.defaults,
        canaryNodegroup: settings.canary ?? 'system',
        nodegroupMaxConcurrency: settings.maxConcurrency ?? 2,
        approval: settings.approval ?? false,
        ...(settings.approvalTimeoutMinutes ? { approvalTimeoutMinutes: settings.approvalTimeoutMinutes } : {}),
        ...(settings.kubernetesChecks ? { kubernetesChecks: true } : {}),
        ...(settings.refreshSelfManaged !== undefined ? { refreshSelfManaged: settings.refreshSelfManaged } : {}),
        ...(settings.hopsPerWindow !== undefined ? { hopsPerWindow: settings.hopsPerWindow } : {}),
        ...(settings.bakeHours !== undefined ? { bakeHours: settings.bakeHours } : {}),
      },
    },
    clusters: config.clusters.map((cluster) => ({ ...cluster, maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', timezone: 'UTC', durationMinutes: settings.durationMinutes ?? 600 } })),
  });
}

export interface UpgradeRunInput {
  cluster: string;
  targetVersion?: string;
  windowMinutes?: number;
}

/**
 * Starts cluster-upgrade as the window's EventBridge Scheduler schedule does: the schedule's input (built by
 * the same code as the deployed schedule's) with `<aws.scheduler.scheduled-time>` replaced by now. The
 * timeline shows the schedule firing. Scheduler cannot name executions; the sandbox names them after the
 * window so runs are easy to tell apart.
 */
export async function runUpgrade(sandbox: Sandbox, input: UpgradeRunInput, timeline?: Timeline): Promise<ExecutionResult> {
  const machine = sandbox.stateMachines.get(UPGRADE_MACHINE);
  if (!machine) throw new Error(`the compiled template has no ${UPGRADE_MACHINE}`);
  const now = sandbox.aws.clock.now();
  const cluster = sandbox.config.clusters.find((candidate) => candidate.name === input.cluster);
  const scheduled = cluster ? scheduleInput(sandbox.config, cluster, now.toISOString()) : undefined;
  const request = { ...(scheduled ?? { cluster: input.cluster, scheduledTime: now.toISOString() }), ...(input.targetVersion ? { targetVersion: input.targetVersion } : {}), ...(input.windowMinutes ? { windowMinutes: input.windowMinutes } : {}) };
  timeline?.incoming(
    { version: '0', id: executionName(input.cluster, now), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: sandbox.aws.here.accountId, time: now.toISOString(), region: sandbox.aws.here.region, resources: [], detail: request },
    [{ rule: `schedule ${cluster ? scheduleLogicalId(cluster) : input.cluster}`, target: UPGRADE_MACHINE }],
  );
  return machine.run(request, { name: executionName(input.cluster, now) });
}

export function clusterVersions(sandbox: Sandbox, cluster: string): { cluster: string | undefined; nodegroups: Record<string, string | undefined>; addons: Record<string, string | undefined> } {
  const { aws } = sandbox;
  const addons = aws.account.service(SandboxEksAddons);
  const names = ['system', 'web', 'batch', 'gpu'];
  const nodegroups: Record<string, string | undefined> = {};
  for (const name of names) {
    try {
      nodegroups[name] = aws.services.eksNodegroups.nodegroupOf(aws.here, cluster, name).version;
    } catch {
      // not in this fleet
    }
  }
  return {
    cluster: aws.services.eks.clusterOf(aws.here, cluster).version,
    nodegroups,
    addons: Object.fromEntries(FLEET_ADDONS.map((name) => [name, addons.addonOf(aws.here, cluster, name).addonVersion])),
  };
}

/** The newest Slack message with an Approve button: the approval request of the running upgrade. */
export async function approvalRequest(sandbox: Sandbox): Promise<SlackSinkMessage> {
  // Posted while the execution runs: wait (a few macrotask turns) until upgradeApprovalRequest has returned,
  // so the task is waiting for its token, and its message is in Slack.
  const seen = sandbox.lambda.invocations.length;
  for (let turn = 0; turn < 2000; turn++) {
    const returned = sandbox.lambda.invocations.slice(seen).findLast((invocation) => invocation.functionName === 'upgradeApprovalRequest' && invocation.result !== undefined);
    const approvalId = (returned?.result as { approvalId?: string } | undefined)?.approvalId;
    const found = approvalId ? sandbox.slack.messages.findLast((message) => message.body.includes(APPROVE_ACTION) && message.body.includes(approvalId)) : undefined;
    if (found) return found;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('no approval request reached Slack');
}

/**
 * Someone presses a button of an eksops message in Slack: Slack posts the signed interaction to the
 * upgradeApproval function URL. Returns the function URL's answer (status and body).
 */
export async function pressButton(sandbox: Sandbox, message: SlackSinkMessage, actionId: string, userId: string, overrides: Partial<Pick<Click, 'signingSecret' | 'delaySeconds' | 'body' | 'signedBody' | 'base64'>> = {}): Promise<{ statusCode: number; body: string }> {
  const event = clickEvent({ message, actionId, userId, clock: sandbox.aws.clock, ...overrides });
  // The click is one instant: the upgrade it lets go on does not run ahead while the function still answers Slack.
  return (await sandbox.aws.clock.instant(() => sandbox.lambda.invoke('upgradeApproval', event))) as { statusCode: number; body: string };
}

/**
 * The cluster's Kubernetes API, as eksops reaches it with upgrade.kubernetesChecks: a loopback HTTPS server
 * (its own CA) that checks each EKS token against the sandbox's credentials, connected to the cluster's
 * DescribeCluster endpoint. Stop it with `api.stop()`.
 */
export async function startKubernetesApi(sandbox: Sandbox, cluster: string, podDisruptionBudgets: PodDisruptionBudget[] = []): Promise<FakeKubernetesApi> {
  const api = await FakeKubernetesApi.start({ clusterName: cluster, credentials: SANDBOX_CREDENTIALS, clock: sandbox.aws.clock, podDisruptionBudgets });
  sandbox.aws.services.eks.connectKubernetesApi(sandbox.aws.here, cluster, { endpoint: api.endpoint, certificateAuthorityData: api.certificateAuthorityData });
  return api;
}

/** An AL2023 x86_64 release older than the one the sandbox publishes as recommended for 1.32. */
export const OLD_AL2023_AMI_NAME = 'amazon-eks-node-al2023-x86_64-standard-1.32-v20250101';

/**
 * A self-managed node group of the cluster: an Auto Scaling group tagged kubernetes.io/cluster/<cluster>, its
 * instances on launch template version 1 of `<name>-lt`, whose AMI is an old EKS-optimized AL2023 one.
 */
export function seedSelfManagedGroup(sandbox: Sandbox, cluster: string, name: string, options: { instances?: number } = {}): { oldAmi: string; templateId: string } {
  const { here, account } = sandbox.aws;
  const templates = account.service(SandboxEc2LaunchTemplates);
  const oldAmi = templates.seedImage(here, { name: OLD_AL2023_AMI_NAME });
  const { id: templateId } = templates.seedLaunchTemplate(here, `${name}-lt`, { ImageId: oldAmi, InstanceType: 'm6i.large', IamInstanceProfile: { Name: 'eks-node' } });
  account.service(SandboxAutoScaling).seedGroup(here, name, { tags: { [`kubernetes.io/cluster/${cluster}`]: 'owned' }, instances: options.instances ?? 3, launchTemplate: { LaunchTemplateId: templateId, Version: '1' }, defaultInstanceWarmup: 120 });
  return { oldAmi, templateId };
}
