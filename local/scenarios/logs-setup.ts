import { makeHandler as logForwarder } from '../../functions/log-forwarder/app.ts';
import type { Config } from '../../shared/config/schema.ts';
import { eksLogGroupName } from '../../shared/logs/log-source.ts';
import { SandboxCloudWatchLogs } from '../account/services/cloudwatch-logs.ts';
import { SandboxS3 } from '../account/services/s3.ts';
import { lambdaLogicalId } from '../lambda/runtime.ts';
import type { Sandbox } from '../sandbox.ts';
import type { ScenarioContext } from './scenario.ts';
import { HttpSink } from '../sinks/http-sink.ts';
import { functionEnvironment } from '../template/function-environment.ts';

/** Log shipping on, the documented drop rule, and an HTTP destination (pointed at a loopback sink at run time). */
export function withLogShipping(config: Config): Config {
  return {
    ...config,
    logs: {
      ...config.logs,
      enabled: true,
      drop: [{ logTypes: ['audit'], verbs: ['get', 'list', 'watch'], users: ['system:node:*'] }],
      destinations: [{ name: 'central', type: 'http', url: 'http://127.0.0.1:9/unset', gzip: true }],
    },
  };
}

/**
 * Starts a loopback NDJSON sink and rebuilds the forwarder with the destination pointed at it, the way a
 * deployment would with the sink's URL in eksops.config.yml.
 */
export async function startLogSink(sandbox: Sandbox): Promise<HttpSink> {
  const sink = new HttpSink({ clock: sandbox.aws.clock });
  await sink.start();
  const config = { ...sandbox.config, logs: { ...sandbox.config.logs, destinations: [{ name: 'central', type: 'http' as const, url: `${sink.url}/ingest`, gzip: true }] } };
  const env = functionEnvironment(sandbox.template, lambdaLogicalId('logForwarder'), sandbox.aws.here);
  sandbox.lambda.register('logForwarder', logForwarder({ ...sandbox.deps, config, env }));
  return sink;
}

/** A cluster whose control-plane log group is already subscribed to the forwarder (as logSubscriptions leaves it). */
export function subscribedCluster(sandbox: Sandbox, cluster: string): string {
  sandbox.aws.services.eks.seedCluster(sandbox.aws.here, cluster);
  const logGroup = eksLogGroupName(cluster);
  const env = functionEnvironment(sandbox.template, lambdaLogicalId('logSubscriptions'), sandbox.aws.here);
  sandbox.aws.account.service(SandboxCloudWatchLogs).seedLogGroup(sandbox.aws.here, logGroup, {
    retentionInDays: 30,
    filters: [{ filterName: 'eksops-dev', logGroupName: logGroup, filterPattern: '', destinationArn: env.EKSOPS_LOG_FORWARDER_ARN ?? '' }],
  });
  return logGroup;
}

export function failureBucket(sandbox: Sandbox): string {
  return functionEnvironment(sandbox.template, lambdaLogicalId('logForwarder'), sandbox.aws.here).EKSOPS_LOGS_FAILURE_BUCKET ?? '';
}

export function failureObjects(sandbox: Sandbox, prefix = 'failed/'): Map<string, Buffer> {
  return sandbox.aws.account.service(SandboxS3).objects(failureBucket(sandbox), prefix);
}

/**
 * EKS writes lines to a stream of a subscribed log group; CloudWatch Logs hands them to the forwarder.
 * The timeline shows the delivery as the event that came in.
 */
export async function writeControlPlaneLines(context: ScenarioContext, logGroup: string, logStream: string, lines: readonly string[]): Promise<void> {
  const { sandbox, timeline } = context;
  const now = sandbox.aws.clock.now().toISOString();
  timeline.incoming(
    { version: '0', id: `${logStream}-${now}`, 'detail-type': `subscription delivery of ${lines.length} events from ${logStream}`, source: 'aws.logs', account: sandbox.aws.here.accountId, time: now, region: sandbox.aws.here.region, resources: [], detail: {} },
    [{ rule: `subscription filter eksops-dev on ${logGroup}`, target: 'logForwarder' }],
  );
  await sandbox.aws.account.service(SandboxCloudWatchLogs).write(sandbox.aws.here, logGroup, logStream, lines.map((message) => ({ message })));
}
