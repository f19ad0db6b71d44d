import { makeHandler as logForwarder } from '../../functions/log-forwarder/app.ts';
import { makeHandler as logReplay } from '../../functions/log-replay/app.ts';
import { makeHandler as logSubscriptions } from '../../functions/log-subscriptions/app.ts';
import { encodeSubscriptionData } from '../../shared/logs/subscription-payload.ts';
import { SandboxCloudWatchLogs } from '../account/services/cloudwatch-logs.ts';
import { SandboxS3 } from '../account/services/s3.ts';
import { lambdaLogicalId } from '../lambda/runtime.ts';
import { functionEnvironment } from '../template/function-environment.ts';
import type { SandboxPlugin } from '../sandbox-core.ts';

/**
 * Control-plane log shipping in the sandbox: CloudWatch Logs and S3 in the in-memory account, the forwarder
 * and the subscription manager, and subscriptions connected to the Lambda runtime: events written to a
 * subscribed log group reach the forwarder as an asynchronous invocation in the real payload format.
 */
export const LOGS: SandboxPlugin = {
  functions: {
    logForwarder: (deps) => logForwarder(deps),
    logSubscriptions: (deps) => logSubscriptions(deps),
    logReplay: (deps) => logReplay(deps),
  },
  services: ({ account, clock }) => {
    account.register(new SandboxCloudWatchLogs(clock));
    account.register(new SandboxS3(clock));
  },
  connect: (sandbox) => {
    const environment = functionEnvironment(sandbox.template, lambdaLogicalId('logForwarder'), sandbox.aws.here);
    const bucket = environment.EKSOPS_LOGS_FAILURE_BUCKET;
    if (bucket) sandbox.aws.account.service(SandboxS3).createBucket(bucket);
    sandbox.aws.account.service(SandboxCloudWatchLogs).onDelivery(async (batch) => {
      const functionName = functionOfArn(sandbox.template.Resources, batch.destinationArn);
      if (!functionName) return;
      const { destinationArn: _destination, ...payload } = batch;
      await sandbox.lambda.invokeAsync(functionName, { awslogs: { data: encodeSubscriptionData(payload) } });
    });
  },
};

/** `arn:aws:lambda:…:function:eksops-dev-logForwarder` → `logForwarder`, by the template's FunctionName. */
function functionOfArn(resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>, arn: string): string | undefined {
  const functionName = arn.split(':').at(-1);
  return Object.keys(LOGS.functions).find((name) => resources[lambdaLogicalId(name)]?.Properties?.FunctionName === functionName);
}
