import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { SandboxCloudWatchLogs } from '../account/services/cloudwatch-logs.ts';
import { logsSchedule, updateClusterConfigEvent } from './logs-events.ts';
import { withLogShipping } from './logs-setup.ts';
import type { Scenario } from './scenario.ts';

/** A new cluster gets its log group, the forwarder's subscription, and (once ACTIVE) its control-plane logging. */
export const logsNewCluster: Scenario = {
  name: 'logs-new-cluster',
  title: 'A new cluster gets a log group with retention, the forwarder subscription, and control-plane logging once ACTIVE',
  sandbox: { configure: withLogShipping },
  async run({ sandbox, step, publish, check }) {
    const here = sandbox.aws.here;
    const eks = sandbox.aws.clients.client(EKSClient);
    const logs = sandbox.aws.account.service(SandboxCloudWatchLogs);
    const updates = () => sandbox.aws.account.changes.filter((change) => change.action === 'UpdateClusterConfig').length;

    step('cluster "staging" (in the configuration) is being created; EKS takes 12 minutes to make it ACTIVE');
    sandbox.aws.services.eks.seedCluster(here, 'staging', { status: 'CREATING' });

    step('the log-subscription backstop runs');
    await sandbox.lambda.invokeAsync('logSubscriptions', logsSchedule(sandbox));
    const group = logs.logGroup(here, '/aws/eks/staging/cluster');
    check('the log group exists with 30 days of retention, before EKS writes to it', group?.group.retentionInDays === 30);
    check('the forwarder is subscribed to it', group?.filters.some((filter) => filter.destinationArn?.endsWith(':function:eksops-dev-logForwarder')) === true);
    check('logging waits: the cluster is still CREATING', updates() === 0);
    check("the forwarder acknowledged CloudWatch's control message and forwarded nothing", sandbox.lambda.invocations.some((invocation) => invocation.functionName === 'logForwarder' && (invocation.result as { outcome?: string } | undefined)?.outcome === 'control-message'));

    step('12 minutes later the cluster is ACTIVE; the backstop runs again');
    sandbox.aws.clock.advance(12 * 60_000);
    await sandbox.lambda.invokeAsync('logSubscriptions', logsSchedule(sandbox));
    check('UpdateClusterConfig turned the configured log types on', updates() === 1);

    step('3 minutes later the update is done; CloudTrail reports it as an UpdateClusterConfig call');
    sandbox.aws.clock.advance(3 * 60_000);
    const changesBefore = sandbox.aws.account.changes.length;
    await publish(updateClusterConfigEvent(sandbox, 'staging'));
    const logging = (await eks.send(new DescribeClusterCommand({ name: 'staging' }))).cluster?.logging?.clusterLogging ?? [];
    check('all five log types are enabled', logging.some((setup) => setup.enabled && setup.types?.length === 5));
    check('converged: reacting to the event changed nothing', sandbox.aws.account.changes.length === changesBefore);
  },
};
