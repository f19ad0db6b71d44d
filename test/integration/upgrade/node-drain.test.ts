import { afterEach, describe, expect, it } from '@jest/globals';
import { AutoScalingClient, AutoScalingServiceException, CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand, RecordLifecycleActionHeartbeatCommand, DescribeInstanceRefreshesCommand, DescribeLifecycleHooksCommand, PutLifecycleHookCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type LifecycleActionEvent, SandboxAutoScaling } from '../../../local/account/services/autoscaling.ts';
import { SandboxEc2 } from '../../../local/account/services/ec2.ts';
import type { FailedEventRecord } from '../../../shared/middleware/failure-queue.ts';
import { queueUrl } from '../../../local/template/function-environment.ts';
import { type FakeKubernetesApi, kubernetesNode, kubernetesPod, podDisruptionBudget } from '../../../local/k8s/fake-api-server.ts';
import { clusterVersions, runUpgrade, seedSelfManagedGroup, seedUpgradeFleet, startKubernetesApi, withUpgrades } from '../../../local/scenarios/upgrade-fleet.ts';
import { type Sandbox, startSandbox } from '../../../local/sandbox.ts';
import { refreshGroup } from '../../../shared/upgrade/act-refresh.ts';
import { DRAIN_HOOK_NAME, ensureDrainHook } from '../../../shared/upgrade/drain/hook.ts';
import type { NodeDrainOutcome } from '../../../shared/upgrade/drain/lifecycle-action.ts';
import { failure } from '../../support/failure.ts';

/**
 * Self-managed nodes are drained before an instance refresh replaces them: eksops's termination lifecycle hook holds
 * each instance in Terminating:Wait, the sandbox's Auto Scaling puts "EC2 Instance-terminate Lifecycle Action" on
 * the event bus, nodeDrain (routed by the compiled template's rule) cordons the node and evicts its pods through the
 * loopback Kubernetes API, then completes the action. Assertions are on the state of the fake API server and of the
 * in-memory account, on virtual time.
 */
let sandbox: Sandbox | undefined;
let api: FakeKubernetesApi | undefined;
afterEach(async () => {
  await api?.stop();
  await sandbox?.close();
  api = undefined;
  sandbox = undefined;
});

const GROUP = 'legacy-workers';

interface Fleet {
  box: Sandbox;
  api: FakeKubernetesApi;
  asg: SandboxAutoScaling;
  instances: { id: string; zone: string; node: string }[];
  templateId: string;
  oldAmi: string;
}

const node = kubernetesNode;
const pod = kubernetesPod;

/** prod-eu at 1.33 with a self-managed group of two instances on an old AMI, each a Ready node, and the cluster API. */
async function fleet(options: { groupTags?: Record<string, string>; nodes?: boolean; dryRun?: boolean } = {}): Promise<Fleet> {
  const upgrades = withUpgrades({ durationMinutes: 600, refreshSelfManaged: true });
  const box = await startSandbox({ configure: (config) => ({ ...upgrades(config), ...(options.dryRun ? { dryRun: true } : {}) }) });
  sandbox = box;
  seedUpgradeFleet(box, 'prod-eu', { version: '1.33' });
  const { oldAmi, templateId } = seedSelfManagedGroup(box, 'prod-eu', GROUP, { instances: 2 });
  const asg = box.aws.account.service(SandboxAutoScaling);
  const group = asg.groupOf(box.aws.here, GROUP);
  if (options.groupTags) for (const [key, value] of Object.entries(options.groupTags)) group?.tags.set(key, { value, propagate: true });
  const ec2 = box.aws.account.service(SandboxEc2);
  const instances = (group?.instanceIds ?? []).map((id, index) => ({ id, zone: ec2.instance(box.aws.here, id)?.availabilityZone ?? '', node: `ip-10-0-1-${index + 10}.eu-west-1.compute.internal` }));
  api = await startKubernetesApi(box, 'prod-eu');
  if (options.nodes !== false) {
    api.setObjects({
      nodes: [...instances.map((instance) => node(instance.node, instance.zone, instance.id)), node('ip-10-0-9-9.eu-west-1.compute.internal', 'eu-west-1b', 'i-0ffffffffffffffff')],
      pods: [
        pod('shop', 'web-7d4b9-abcde', instances[0]?.node ?? ''),
        pod('shop', 'api-6c8f7-fghij', instances[0]?.node ?? ''),
        pod('kube-system', 'aws-node-k2x9p', instances[0]?.node ?? '', { owner: 'DaemonSet' }),
        pod('shop', 'web-7d4b9-klmno', instances[1]?.node ?? ''),
        pod('kube-system', 'aws-node-q7w3e', instances[1]?.node ?? '', { owner: 'DaemonSet' }),
        // Another node's pod: never touched.
        pod('shop', 'web-7d4b9-zzzzz', 'ip-10-0-9-9.eu-west-1.compute.internal'),
      ],
    });
  }
  return { box, api, asg, instances, templateId, oldAmi };
}

const clientsOf = (box: Sandbox) => ({ eks: box.aws.clients.client(EKSClient), ec2: box.aws.clients.client(EC2Client), autoscaling: box.aws.clients.client(AutoScalingClient), ssm: box.aws.clients.client(SSMClient) });

async function recommended(box: Sandbox): Promise<string> {
  const parameter = await box.aws.clients.client(SSMClient).send(new GetParameterCommand({ Name: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id' }));
  return parameter.Parameter?.Value ?? '';
}

/** The refresh eksops starts (act-refresh.ts, which puts the hook first), then virtual time to its end; the events it caused, held back. */
async function refreshToTheWait(fleet: Fleet): Promise<LifecycleActionEvent[]> {
  const held: LifecycleActionEvent[] = [];
  fleet.asg.onLifecycleAction((event) => held.push(event));
  await refreshGroup(clientsOf(fleet.box), { name: GROUP, launchTemplate: { id: fleet.templateId, name: `${GROUP}-lt` }, sourceVersion: '1', fromImage: fleet.oldAmi, toImage: await recommended(fleet.box), templateCurrent: false, mixedInstances: false, desiredCapacity: 2, warmupSeconds: 120 });
  fleet.box.aws.clock.advance(30 * 60_000);
  await refreshStatus(fleet.box);
  await fleet.asg.lifecycleEventsDelivered();
  return held;
}

async function refreshStatus(box: Sandbox): Promise<string | undefined> {
  return (await box.aws.clients.client(AutoScalingClient).send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: GROUP }))).InstanceRefreshes?.[0]?.Status;
}

async function lifecycleStates(box: Sandbox): Promise<Record<string, string | undefined>> {
  const group = (await box.aws.clients.client(AutoScalingClient).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))).AutoScalingGroups?.[0];
  return Object.fromEntries((group?.Instances ?? []).map((instance) => [instance.InstanceId ?? '', instance.LifecycleState]));
}

const drains = (box: Sandbox) => box.lambda.invocations.filter((invocation) => invocation.functionName === 'nodeDrain').map((invocation) => invocation.result as NodeDrainOutcome | undefined);
const podNames = (api: FakeKubernetesApi) => (api.objects().pods as { metadata: { namespace: string; name: string } }[]).map((item) => `${item.metadata.namespace}/${item.metadata.name}`).sort();
const unschedulable = (api: FakeKubernetesApi) => Object.fromEntries((api.objects().nodes as { metadata: { name: string }; spec: { unschedulable?: boolean } }[]).map((item) => [item.metadata.name, item.spec.unschedulable === true]));
const exists = (box: Sandbox, id: string) => box.aws.account.service(SandboxEc2).instance(box.aws.here, id) !== undefined;

describe('an instance refresh of a self-managed group with the eksops drain hook', () => {
  it('holds each instance until its node is cordoned and its pods evicted (DaemonSet pods stay), and terminates it only then', async () => {
    const setup = await fleet();
    const { box, instances } = setup;
    const held = await refreshToTheWait(setup);

    // The refresh reached the old instances: each waits, still running, for the hook; nothing drained yet.
    expect(held.map((event) => [event['detail-type'], event.detail.LifecycleHookName, event.detail.EC2InstanceId, event.detail.LifecycleTransition])).toEqual(
      instances.map((instance) => ['EC2 Instance-terminate Lifecycle Action', DRAIN_HOOK_NAME, instance.id, 'autoscaling:EC2_INSTANCE_TERMINATING']),
    );
    const states = await lifecycleStates(box);
    for (const instance of instances) expect(states[instance.id]).toBe('Terminating:Wait');
    expect(instances.every((instance) => exists(box, instance.id))).toBe(true);
    expect(await refreshStatus(box)).toBe('InProgress');
    expect(Object.values(unschedulable(setup.api)).some(Boolean)).toBe(false);

    // EventBridge delivers them: the compiled template's rule routes them to nodeDrain.
    for (const event of held) expect(box.bus.route(event as never)).toEqual([expect.objectContaining({ target: 'nodeDrain' })]);
    for (const event of held) await box.bus.put(event as never);

    expect(unschedulable(setup.api)).toEqual({ [instances[0]?.node ?? '']: true, [instances[1]?.node ?? '']: true, 'ip-10-0-9-9.eu-west-1.compute.internal': false });
    expect(podNames(setup.api)).toEqual(['kube-system/aws-node-k2x9p', 'kube-system/aws-node-q7w3e', 'shop/web-7d4b9-zzzzz']);
    // Evicted through the Eviction API (policy/v1), after the cordon.
    const writes = setup.api.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path} ${request.status}`);
    expect(writes[0]).toBe(`PATCH /api/v1/nodes/${instances[0]?.node} 200`);
    expect(writes).toContain('POST /api/v1/namespaces/shop/pods/web-7d4b9-abcde/eviction 201');
    expect(setup.api.requests.find((request) => request.method === 'PATCH')?.body).toEqual({ spec: { unschedulable: true } });

    // Completed with CONTINUE by the drain (not by the timeout): then, and only then, terminated.
    expect(setup.asg.lifecycleOutcomes.map((outcome) => [outcome.instanceId, outcome.result, outcome.by])).toEqual(instances.map((instance) => [instance.id, 'CONTINUE', 'CompleteLifecycleAction']));
    expect(instances.some((instance) => exists(box, instance.id))).toBe(false);
    expect(await refreshStatus(box)).toBe('Successful');
    expect(drains(box).map((outcome) => [outcome?.status, outcome?.evicted.length, outcome?.left.length, outcome?.completion])).toEqual([
      ['drained', 2, 0, 'CONTINUE'],
      ['drained', 1, 0, 'CONTINUE'],
    ]);
    // A drained node is not news for Slack.
    expect(box.slack.messages).toEqual([]);
  });

  it('waits for a PodDisruptionBudget that allows no disruption, then lets the instance go at its deadline and names the pod in Slack', async () => {
    const setup = await fleet();
    const { box, instances } = setup;
    const ledgerNode = instances[0]?.node ?? '';
    setup.api.setObjects({ pods: [...setup.api.objects().pods, pod('payments', 'ledger-0', ledgerNode, { labels: { app: 'ledger' } })] });
    setup.api.setPodDisruptionBudgets([podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 3, matchLabels: { app: 'ledger' }, status: { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 } })]);
    const held = await refreshToTheWait(setup);
    const first = held.find((event) => event.detail.EC2InstanceId === instances[0]?.id);
    const startedAt = box.aws.clock.now().getTime();

    await box.bus.put(first as never);

    const [outcome] = drains(box);
    expect(outcome).toMatchObject({ status: 'incomplete', node: ledgerNode, completion: 'CONTINUE', left: [{ pod: 'payments/ledger-0', reason: expect.stringContaining('PodDisruptionBudget allows no disruption now') }] });
    expect(outcome?.evicted.sort()).toEqual(['shop/api-6c8f7-fghij', 'shop/web-7d4b9-abcde']);
    // It retried the 429 with backoff until its deadline (600 s), well before the hook's 900 s.
    const refusals = setup.api.requests.filter((request) => request.path === '/api/v1/namespaces/payments/pods/ledger-0/eviction');
    expect(refusals.length).toBeGreaterThan(5);
    expect(refusals.every((request) => request.status === 429)).toBe(true);
    expect(box.aws.clock.now().getTime() - startedAt).toBeGreaterThanOrEqual(570_000);
    expect(box.aws.clock.now().getTime() - startedAt).toBeLessThanOrEqual(600_000);
    // The budget held: the pod is still there, its budget untouched; the instance went on CONTINUE from the drain.
    expect(podNames(setup.api)).toContain('payments/ledger-0');
    expect(setup.api.podDisruptionBudgets()[0]?.status?.disruptionsAllowed).toBe(0);
    expect(setup.asg.lifecycleOutcomes).toEqual([expect.objectContaining({ instanceId: instances[0]?.id, result: 'CONTINUE', by: 'CompleteLifecycleAction' })]);
    expect(exists(box, instances[0]?.id ?? '')).toBe(false);

    const slack = box.slack.messages.map((message) => message.body).join('\n');
    expect(slack).toContain('eksops node drain did not finish');
    expect(slack).toContain('`payments/ledger-0`');
    expect(slack).toContain('PodDisruptionBudget allows no disruption now');
  });

  it('records a heartbeat when the event arrives late, so the hook does not time out under a running drain', async () => {
    const setup = await fleet();
    const { box, instances } = setup;
    setup.api.setObjects({ pods: [pod('payments', 'ledger-0', instances[0]?.node ?? '', { labels: { app: 'ledger' } })] });
    setup.api.setPodDisruptionBudgets([podDisruptionBudget({ namespace: 'payments', name: 'ledger', minAvailable: 1, matchLabels: { app: 'ledger' }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } })]);
    const held = await refreshToTheWait(setup);
    // Delivered 13 minutes after the wait began: 2 minutes before the 15-minute heartbeat timeout.
    box.aws.clock.advance(13 * 60_000);
    await box.bus.put(held[0] as never);

    expect(drains(box)[0]).toMatchObject({ status: 'incomplete', completion: 'CONTINUE' });
    expect(drains(box)[0]?.heartbeats).toBeGreaterThanOrEqual(1);
    expect(box.aws.account.callCount('autoscaling', 'RecordLifecycleActionHeartbeat')).toBe(drains(box)[0]?.heartbeats);
    expect(setup.asg.lifecycleOutcomes.find((outcome) => outcome.instanceId === instances[0]?.id)).toMatchObject({ result: 'CONTINUE', by: 'CompleteLifecycleAction' });
  });

  it('without anyone answering, terminates the instance at the heartbeat timeout with the hook default CONTINUE', async () => {
    const setup = await fleet();
    await refreshToTheWait(setup);
    setup.box.aws.clock.advance(15 * 60_000);
    expect(await refreshStatus(setup.box)).toBe('Successful');
    expect(setup.asg.lifecycleOutcomes.map((outcome) => [outcome.result, outcome.by])).toEqual([
      ['CONTINUE', 'HeartbeatTimeout'],
      ['CONTINUE', 'HeartbeatTimeout'],
    ]);
  });

  it('runs inside the upgrade: the state machine refresh waits for the drains, which the bus delivers', async () => {
    const setup = await fleet();
    const { box } = setup;
    // As the sandbox wires it: a delivery is an instant of its own, during which the state machines do not jump time
    // (the drain's own waits still move it), as a real drain runs while the refresh is waiting.
    setup.asg.onLifecycleAction((event) => box.aws.clock.instant(() => box.bus.put(event as never)));

    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    await setup.asg.lifecycleEventsDelivered();

    expect(execution.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
    expect(podNames(setup.api)).toEqual(['kube-system/aws-node-k2x9p', 'kube-system/aws-node-q7w3e', 'shop/web-7d4b9-zzzzz']);
    expect(setup.asg.lifecycleOutcomes.map((outcome) => outcome.by)).toEqual(['CompleteLifecycleAction', 'CompleteLifecycleAction']);
  });
});

describe('a lifecycle action nodeDrain cannot drain', () => {
  it('completes with CONTINUE and says why when the instance is not a node of the cluster', async () => {
    const setup = await fleet({ nodes: false });
    const held = await refreshToTheWait(setup);
    for (const event of held) await setup.box.bus.put(event as never);

    expect(drains(setup.box).map((outcome) => [outcome?.status, outcome?.completion])).toEqual([
      ['node-not-found', 'CONTINUE'],
      ['node-not-found', 'CONTINUE'],
    ]);
    expect(drains(setup.box)[0]?.reason).toContain(`aws:///${setup.instances[0]?.zone}/${setup.instances[0]?.id}`);
    expect(setup.asg.lifecycleOutcomes.map((outcome) => outcome.by)).toEqual(['CompleteLifecycleAction', 'CompleteLifecycleAction']);
    expect(setup.api.requests.some((request) => request.method !== 'GET')).toBe(false);
  });

  it('completes with CONTINUE and tells Slack, with the remedy, when the cluster API forbids it', async () => {
    const setup = await fleet();
    const held = await refreshToTheWait(setup);
    setup.api.forbid();
    await setup.box.bus.put(held[0] as never);

    expect(drains(setup.box)[0]).toMatchObject({ status: 'kubernetes-unreachable', completion: 'CONTINUE' });
    expect(setup.asg.lifecycleOutcomes).toEqual([expect.objectContaining({ result: 'CONTINUE', by: 'CompleteLifecycleAction' })]);
    expect(setup.box.slack.messages.map((message) => message.body).join('\n')).toMatch(/did not finish[\s\S]*403 Forbidden/);
  });

  it('never touches the Kubernetes API of a cluster that is not configured, and completes its own hook with CONTINUE', async () => {
    const setup = await fleet({ groupTags: {} });
    const group = setup.asg.groupOf(setup.box.aws.here, GROUP);
    group?.tags.delete('kubernetes.io/cluster/prod-eu');
    group?.tags.set('kubernetes.io/cluster/someone-else', { value: 'owned', propagate: true });
    const held: LifecycleActionEvent[] = [];
    setup.asg.onLifecycleAction((event) => held.push(event));
    const autoscaling = setup.box.aws.clients.client(AutoScalingClient);
    await ensureDrainHook(autoscaling, GROUP);
    await autoscaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: GROUP }));
    setup.box.aws.clock.advance(30 * 60_000);
    await refreshStatus(setup.box);
    await setup.asg.lifecycleEventsDelivered();
    const before = setup.api.requests.length;
    for (const event of held) await setup.box.bus.put(event as never);

    expect(drains(setup.box).map((outcome) => [outcome?.status, outcome?.completion])).toEqual([
      ['cluster-not-configured', 'CONTINUE'],
      ['cluster-not-configured', 'CONTINUE'],
    ]);
    expect(drains(setup.box)[0]?.reason).toContain('someone-else');
    expect(setup.api.requests.length).toBe(before);
    expect(setup.box.aws.account.callCount('eks', 'DescribeCluster')).toBe(0);
    expect(setup.box.slack.messages).toEqual([]);
  });

  it('sends a malformed event to the failure queue with the reason, and leaves the action to the heartbeat timeout', async () => {
    const setup = await fleet();
    const held = await refreshToTheWait(setup);
    const { LifecycleActionToken: _token, ...detail } = held[0]?.detail ?? ({} as LifecycleActionEvent['detail']);
    await setup.box.bus.put({ ...held[0], detail } as never);

    // Sent once by the function itself (not retried by Lambda), with the reason naming the field.
    expect(setup.box.lambda.failedAsync).toEqual([]);
    const queued = setup.box.aws.services.sqs.messages(queueUrl(setup.box.template, 'FailureQueue', setup.box.aws.here)).map((message) => JSON.parse(message.body) as FailedEventRecord);
    expect(queued).toEqual([expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'InvalidEvent' }), responsePayload: expect.objectContaining({ errorType: 'InvalidEventError', errorMessage: expect.stringContaining('detail.LifecycleActionToken') }) })]);
    expect(setup.box.lambda.invocations.filter((invocation) => invocation.functionName === 'nodeDrain')).toHaveLength(1);
    expect(setup.asg.lifecycleOutcomes).toEqual([]);
    expect(setup.api.requests.some((request) => request.method !== 'GET')).toBe(false);
  });

  it('in a dry run, neither cordons nor evicts, and still completes the action', async () => {
    const setup = await fleet({ dryRun: true });
    const held = await refreshToTheWait(setup);
    await setup.box.bus.put(held[0] as never);
    expect(drains(setup.box)[0]).toMatchObject({ status: 'dry-run', completion: 'CONTINUE' });
    expect(setup.api.requests.some((request) => request.method !== 'GET')).toBe(false);
    expect(podNames(setup.api)).toHaveLength(6);
  });

  it('ignores a completion that comes after the action ended (a retried event)', async () => {
    const setup = await fleet();
    const held = await refreshToTheWait(setup);
    await setup.box.bus.put(held[0] as never);
    await setup.box.bus.put(held[0] as never);
    expect(drains(setup.box).map((outcome) => outcome?.completion)).toEqual(['CONTINUE', 'already-ended']);
  });
});

describe("eksops's drain hook on a group", () => {
  it('is created once, converged when it differs, and never changes a hook of someone else', async () => {
    const setup = await fleet();
    const autoscaling = setup.box.aws.clients.client(AutoScalingClient);
    await autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: 'their-log-shipper', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 300, DefaultResult: 'ABANDON' }));
    const puts = () => setup.box.aws.account.callCount('autoscaling', 'PutLifecycleHook');

    expect(await ensureDrainHook(autoscaling, GROUP)).toBe('created');
    expect(await ensureDrainHook(autoscaling, GROUP)).toBe('unchanged');
    expect(puts()).toBe(2);
    // Someone edits eksops's hook: the next refresh puts it back.
    await autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: DRAIN_HOOK_NAME, DefaultResult: 'ABANDON' }));
    expect(await ensureDrainHook(autoscaling, GROUP)).toBe('converged');

    const hooks = (await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: GROUP }))).LifecycleHooks ?? [];
    expect(hooks.map((hook) => [hook.LifecycleHookName, hook.LifecycleTransition, hook.HeartbeatTimeout, hook.DefaultResult, hook.GlobalTimeout])).toEqual([
      ['their-log-shipper', 'autoscaling:EC2_INSTANCE_TERMINATING', 300, 'ABANDON', 30_000],
      [DRAIN_HOOK_NAME, 'autoscaling:EC2_INSTANCE_TERMINATING', 900, 'CONTINUE', 90_000],
    ]);
  });
});

describe("the sandbox's lifecycle hooks, as the Auto Scaling API documents them", () => {
  it('validates PutLifecycleHook (heartbeat 30-7200 s, a transition on create, CONTINUE or ABANDON) and defaults to 3600 s and ABANDON', async () => {
    const setup = await fleet({ nodes: false });
    const autoscaling = setup.box.aws.clients.client(AutoScalingClient);
    const put = (input: Partial<ConstructorParameters<typeof PutLifecycleHookCommand>[0]>) => autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: 'h', ...input }));
    expect(await failure(put({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 29 }))).toBeInstanceOf(AutoScalingServiceException);
    expect((await failure(put({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 7201 }))).name).toBe('ValidationError');
    expect((await failure(put({}))).message).toContain('LifecycleTransition is required');
    expect((await failure(put({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', DefaultResult: 'MAYBE' }))).name).toBe('ValidationError');
    expect((await failure(autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: 'nope', LifecycleHookName: 'h', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' })))).message).toContain('not found');
    await put({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' });
    expect((await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: GROUP, LifecycleHookNames: ['h'] }))).LifecycleHooks?.[0]).toMatchObject({ HeartbeatTimeout: 3600, DefaultResult: 'ABANDON', GlobalTimeout: 172_800 });
  });

  it('completes by instance id, extends the wait by a heartbeat, and refuses an action that is not waiting', async () => {
    const setup = await fleet({ nodes: false });
    const held = await refreshToTheWait(setup);
    const autoscaling = setup.box.aws.clients.client(AutoScalingClient);
    const [first, second] = held.map((event) => event.detail);
    if (!first || !second) throw new Error('expected two waits');

    // Heartbeat at 10 minutes: the wait now ends 15 minutes after it, not at 15.
    setup.box.aws.clock.advance(10 * 60_000);
    await autoscaling.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: DRAIN_HOOK_NAME, InstanceId: second.EC2InstanceId }));
    setup.box.aws.clock.advance(6 * 60_000);
    expect(await lifecycleStates(setup.box)).toMatchObject({ [second.EC2InstanceId]: 'Terminating:Wait' });
    expect(setup.asg.lifecycleOutcomes).toEqual([expect.objectContaining({ instanceId: first.EC2InstanceId, by: 'HeartbeatTimeout' })]);
    expect((await failure(autoscaling.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: DRAIN_HOOK_NAME, LifecycleActionToken: first.LifecycleActionToken, LifecycleActionResult: 'CONTINUE' })))).message).toContain('No active Lifecycle Action');
    expect((await failure(autoscaling.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: 'someone-elses', InstanceId: second.EC2InstanceId, LifecycleActionResult: 'CONTINUE' })))).name).toBe('ValidationError');

    await autoscaling.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: DRAIN_HOOK_NAME, InstanceId: second.EC2InstanceId, LifecycleActionResult: 'ABANDON' }));
    expect(setup.asg.lifecycleOutcomes.at(-1)).toMatchObject({ instanceId: second.EC2InstanceId, result: 'ABANDON', by: 'CompleteLifecycleAction' });
    // A termination goes on whatever the result.
    expect(exists(setup.box, second.EC2InstanceId)).toBe(false);
    expect(await refreshStatus(setup.box)).toBe('Successful');
  });

  it("holds the instance until every termination hook's action has ended: eksops's and someone else's", async () => {
    const setup = await fleet();
    const autoscaling = setup.box.aws.clients.client(AutoScalingClient);
    await autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: 'their-log-shipper', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 300, DefaultResult: 'ABANDON' }));
    const held = await refreshToTheWait(setup);
    expect(held.map((event) => event.detail.LifecycleHookName).sort()).toEqual(['eksops-node-drain', 'eksops-node-drain', 'their-log-shipper', 'their-log-shipper']);
    // Their hook's events match no eksops rule.
    expect(held.filter((event) => event.detail.LifecycleHookName === 'their-log-shipper').flatMap((event) => setup.box.bus.route(event as never))).toEqual([]);

    for (const event of held.filter((candidate) => candidate.detail.LifecycleHookName === DRAIN_HOOK_NAME)) await setup.box.bus.put(event as never);
    expect(drains(setup.box).map((outcome) => outcome?.status)).toEqual(['drained', 'drained']);
    // Drained and completed, but their action still holds the instances.
    expect(Object.values(await lifecycleStates(setup.box)).filter((state) => state === 'Terminating:Wait')).toHaveLength(2);
    expect(setup.instances.every((instance) => exists(setup.box, instance.id))).toBe(true);

    setup.box.aws.clock.advance(5 * 60_000);
    expect(await refreshStatus(setup.box)).toBe('Successful');
    expect(setup.instances.some((instance) => exists(setup.box, instance.id))).toBe(false);
    expect(setup.asg.lifecycleOutcomes.map((outcome) => [outcome.hookName, outcome.result, outcome.by])).toEqual([
      [DRAIN_HOOK_NAME, 'CONTINUE', 'CompleteLifecycleAction'],
      [DRAIN_HOOK_NAME, 'CONTINUE', 'CompleteLifecycleAction'],
      ['their-log-shipper', 'ABANDON', 'HeartbeatTimeout'],
      ['their-log-shipper', 'ABANDON', 'HeartbeatTimeout'],
    ]);
  });
});
