import { SandboxAutoScaling } from '../account/services/autoscaling.ts';
import { SandboxEc2 } from '../account/services/ec2.ts';
import type { Sandbox } from '../sandbox.ts';
import { type FleetServices, seedManagedGroup } from '../tags-fleet.ts';
import { launchEvent, nodegroupTagResourceEvent, scheduledEvent } from './tags-events.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';

const CLUSTER = 'prod-eu';
const SELF_MANAGED = 'prod-eu-gpu-selfmanaged';

/** Tags on, one cluster, a self-managed group named in the configuration, a required cost-center tag. */
const sandboxOptions: Scenario['sandbox'] = {
  configure: (config) => ({
    ...config,
    clusters: [{ name: CLUSTER, requiredTags: { 'cost-center': 'cc-1234' } }],
    tags: { ...config.tags, enabled: true, deny: ['internal:*'], selfManagedGroups: { [CLUSTER]: [SELF_MANAGED] } },
  }),
};

function services(sandbox: Sandbox): FleetServices {
  return { eks: sandbox.aws.services.eks, eksNodegroups: sandbox.aws.services.eksNodegroups, ec2: sandbox.aws.account.service(SandboxEc2), autoscaling: sandbox.aws.account.service(SandboxAutoScaling) };
}

/** prod-eu as EKS leaves it: node group tags, labels and taints nowhere but on the node group. */
function seedProdEu(sandbox: Sandbox) {
  const fleet = services(sandbox);
  const here = sandbox.aws.here;
  fleet.eks.seedCluster(here, CLUSTER, { version: '1.33' });
  const general = seedManagedGroup(fleet, here, CLUSTER, { name: 'general', instances: 3, tags: { team: 'payments', 'internal:ticket': 'OPS-1' }, labels: { workload: 'general' } });
  const batch = seedManagedGroup(fleet, here, CLUSTER, { name: 'batch', instances: 0, tags: { team: 'data' }, labels: { workload: 'batch' }, taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }] });
  fleet.autoscaling.seedGroup(here, SELF_MANAGED, { tags: { Name: 'gpu' }, instances: 1 });
  return { fleet, here, general, batch };
}

async function runSchedule({ sandbox, step }: ScenarioContext): Promise<void> {
  step('the schedule fires: EventBridge Scheduler invokes nodeTags for a full reconcile');
  await sandbox.lambda.invokeAsync('nodeTags', scheduledEvent(sandbox.aws.here, sandbox.aws.clock.now()));
}

export const tagsDriftRepaired: Scenario = {
  name: 'tags-fleet-drift',
  title: 'A fleet whose node group tags never reached its ASGs, instances and volumes is reconciled; a node group retag follows',
  sandbox: sandboxOptions,
  async run(context) {
    const { sandbox, step, publish, check } = context;
    const { fleet, here, general, batch } = seedProdEu(sandbox);
    await runSchedule(context);
    const asg = fleet.autoscaling.groupOf(here, general.asgName);
    check('the node group ASG carries the node group tags with PropagateAtLaunch', asg?.tags.get('team')?.value === 'payments' && asg.tags.get('team')?.propagate === true);
    check('the denied key (internal:*) was not copied', asg?.tags.has('internal:ticket') === false);
    check('the tainted group can scale from zero: label and taint node-template tags', fleet.autoscaling.tagsOf(here, batch.asgName)?.['k8s.io/cluster-autoscaler/node-template/taint/dedicated'] === 'batch:NoSchedule' && fleet.autoscaling.tagsOf(here, batch.asgName)?.['k8s.io/cluster-autoscaler/node-template/label/workload'] === 'batch');
    const instance = general.instanceIds[0] ?? '';
    const attached = fleet.ec2.attachmentsOf(here, instance);
    check('every instance, volume and ENI of the group has team=payments and the required cost-center', [...general.instanceIds, ...general.instanceIds.flatMap((id) => fleet.ec2.attachmentsOf(here, id).map((record) => record.id))].every((id) => fleet.ec2.tagsOf(here, id)?.team === 'payments' && fleet.ec2.tagsOf(here, id)?.['cost-center'] === 'cc-1234'));
    check('the self-managed group now names its cluster, propagated', fleet.autoscaling.groupOf(here, SELF_MANAGED)?.tags.get(`kubernetes.io/cluster/${CLUSTER}`)?.propagate === true);
    check('one Slack summary for the whole run', sandbox.slack.messages.length === 1 && /prod-eu/.test(sandbox.slack.messages[0]?.body ?? ''));
    check('the instance has a volume and an ENI', attached.length === 2);

    step('the platform team retags node group "general": team=checkout (EKS changes the node group only)');
    const nodegroup = fleet.eksNodegroups.nodegroupOf(here, CLUSTER, 'general');
    nodegroup.tags = { ...nodegroup.tags, team: 'checkout' };
    await publish(nodegroupTagResourceEvent(here, nodegroup.nodegroupArn ?? '', { team: 'checkout' }));
    check('the new value reached the ASG, every instance, volume and ENI of the group', fleet.autoscaling.tagsOf(here, general.asgName)?.team === 'checkout' && general.instanceIds.every((id) => fleet.ec2.tagsOf(here, id)?.team === 'checkout' && fleet.ec2.attachmentsOf(here, id).every((record) => record.tags.get('team') === 'checkout')));
    check('the other group was not touched', fleet.autoscaling.tagsOf(here, batch.asgName)?.team === 'data');
  },
};

export const tagsNewInstance: Scenario = {
  name: 'tags-new-instance',
  title: 'A node group scales out: the new instance is tagged with its volume and ENI, nothing else is written',
  sandbox: sandboxOptions,
  async run(context) {
    const { sandbox, step, publish, check } = context;
    const { fleet, here, general } = seedProdEu(sandbox);
    await runSchedule(context);
    const writesBefore = sandbox.aws.account.changes.length;

    step('the ASG of "general" launches an instance: Auto Scaling propagates its tags to the instance, not to its volume');
    const instance = fleet.autoscaling.launchInstance(here, general.asgName);
    const volume = fleet.ec2.attachmentsOf(here, instance).find((record) => record.kind === 'volume');
    check('right after launch the volume has none of the group tags', volume?.tags.get('team') === undefined);
    await publish(launchEvent(here, general.asgName, instance));
    check('the instance, its volume and its ENI carry team=payments and cost-center', [instance, ...fleet.ec2.attachmentsOf(here, instance).map((record) => record.id)].every((id) => fleet.ec2.tagsOf(here, id)?.team === 'payments' && fleet.ec2.tagsOf(here, id)?.['cost-center'] === 'cc-1234'));
    const written = sandbox.aws.account.changes.slice(writesBefore);
    check('only the new instance\'s resources were written, in one call per tag set', written.length > 0 && written.length <= 2 && written.every((change) => change.service === 'ec2'));
  },
};

export const tagsSecondRunQuiet: Scenario = {
  name: 'tags-second-run',
  title: 'A converged fleet: the next scheduled run writes nothing and posts nothing',
  sandbox: sandboxOptions,
  async run(context) {
    const { sandbox, step, check, publish } = context;
    const { here, general } = seedProdEu(sandbox);
    await runSchedule(context);
    const changes = sandbox.aws.account.changes.length;
    const messages = sandbox.slack.messages.length;
    await runSchedule(context);
    check('the second run changed nothing in the account', sandbox.aws.account.changes.length === changes);
    check('and posted nothing to Slack', sandbox.slack.messages.length === messages);

    step('a launch event for an instance that no longer exists arrives late');
    const gone = services(sandbox).autoscaling.launchInstance(here, general.asgName);
    services(sandbox).ec2.terminate(here, gone);
    await publish(launchEvent(here, general.asgName, gone));
    check('it is a no-op, not a failure', sandbox.lambda.failedAsync.length === 0);
  },
};
