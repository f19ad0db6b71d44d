import { describe, expect, it } from '@jest/globals';
import { makeHandler as clusterOnboarding } from '../../../functions/cluster-onboarding/app.ts';
import { makeHandler as logForwarder } from '../../../functions/log-forwarder/app.ts';
import { makeHandler as logReplay } from '../../../functions/log-replay/app.ts';
import { makeHandler as logSubscriptions } from '../../../functions/log-subscriptions/app.ts';
import { makeHandler as nodeTags } from '../../../functions/node-tags/app.ts';
import { createInMemoryAws, type InMemoryAws } from '../../../local/account/in-memory-aws.ts';
import { SandboxCloudWatchLogs } from '../../../local/account/services/cloudwatch-logs.ts';
import { SandboxS3 } from '../../../local/account/services/s3.ts';
import { type LambdaHandler, lambdaLogicalId, LocalLambdaRuntime } from '../../../local/lambda/runtime.ts';
import { sampleEvent } from '../../../local/scenarios/sample-events.ts';
import type { CloudFormationTemplate } from '../../../local/template/compiled-template.ts';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import { defaultFetch } from '../../../shared/http/fetch.ts';
import { FAILURE_QUEUE_URL_ENV, type FailedEventRecord } from '../../../shared/middleware/failure-queue.ts';
import type { FunctionDeps } from '../../../shared/runtime/deps.ts';
import type { Notification } from '../../../shared/notify/notifier.ts';
import { SandboxSqs } from '../../../local/account/services/sqs.ts';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/eksops-dev-failures';
const BUCKET = 'eksops-dev-logs-failures';
const RECORD_KEY_SECRET = 'eksops-dev/tag-record-key';
const FUNCTIONS = ['clusterOnboarding', 'logForwarder', 'logSubscriptions', 'logReplay', 'nodeTags'] as const;
type AsyncFunction = (typeof FUNCTIONS)[number];

const BUILDERS: Record<AsyncFunction, (deps: FunctionDeps) => LambdaHandler> = { clusterOnboarding, logForwarder, logSubscriptions, logReplay, nodeTags };

/** Each function as serverless/*.functions.yml deploys it: asynchronous, two retries, the FailureQueue as on-failure destination. */
function template(): CloudFormationTemplate {
  const resources: CloudFormationTemplate['Resources'] = {};
  for (const name of FUNCTIONS) {
    resources[lambdaLogicalId(name)] = { Type: 'AWS::Lambda::Function', Properties: { FunctionName: `eksops-dev-${name}`, Timeout: 120 } };
    resources[`${lambdaLogicalId(name)}EventInvokeConfig`] = {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: lambdaLogicalId(name) }, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] } } } },
    };
  }
  return { Resources: resources };
}

function setUp(options: { queue?: boolean } = {}) {
  const aws: InMemoryAws = createInMemoryAws({
    start: '2026-03-02T09:00:00Z',
    services: [({ account, clock }) => void [account.register(new SandboxCloudWatchLogs(clock)), account.register(new SandboxS3(clock))]],
  });
  const sqs = aws.account.service(SandboxSqs);
  if (options.queue !== false) sqs.createQueue(QUEUE_URL);
  aws.account.service(SandboxS3).createBucket(BUCKET);
  aws.services.secretsManager.seedSecret(aws.here, RECORD_KEY_SECRET, 'test-record-key-0123456789abcdef0123456789abcdef0123456789abcdef');
  aws.services.eks.seedCluster({ accountId: aws.here.accountId, region: 'us-west-2' }, 'test');
  const config = ConfigSchema.parse({
    region: aws.here.region,
    clusters: [{ name: 'prod' }],
    access: { enabled: true },
    logs: { enabled: true, replaySchedule: 'rate(1 hour)', destinations: [{ name: 'h', type: 'http', url: 'https://logs.example.com' }] },
    tags: { enabled: true },
  });
  const slack: Notification[] = [];
  const env = {
    [FAILURE_QUEUE_URL_ENV]: QUEUE_URL,
    EKSOPS_LOGS_FAILURE_BUCKET: BUCKET,
    EKSOPS_TAG_RECORD_KEY_SECRET: RECORD_KEY_SECRET,
    EKSOPS_LOG_FORWARDER_ARN: 'arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-logForwarder',
    EKSOPS_STAGE: 'dev',
  };
  const deps: FunctionDeps = { config, clients: aws.clients, clock: aws.clock, fetch: defaultFetch, env, notifier: { send: async (notification) => void slack.push(notification) } };
  const lambda = new LocalLambdaRuntime({ template: template(), clock: aws.clock, region: aws.here.region, accountId: aws.here.accountId });
  for (const name of FUNCTIONS) lambda.register(name, BUILDERS[name](deps));
  const queued = () => sqs.messages(QUEUE_URL).map((message) => JSON.parse(message.body) as FailedEventRecord);
  return { aws, lambda, slack, queued };
}

const createCluster = sampleEvent('cloudtrail-eks-create-cluster.json');

/** One event per function that matches its rule (or its trigger) but not its schema, and the field the reason must name. */
const INVALID: Record<AsyncFunction, { event: Record<string, unknown>; names: RegExp }> = {
  clusterOnboarding: { event: { ...createCluster, detail: { ...(createCluster.detail as Record<string, unknown>), userIdentity: undefined, eventTime: 42 } }, names: /detail\.userIdentity.*detail\.eventTime|detail\.eventTime.*detail\.userIdentity/ },
  logForwarder: { event: { awslogs: { data: 42 } }, names: /awslogs\.data/ },
  logSubscriptions: { event: { source: 'aws.eks', detail: { eventName: 'UpdateClusterConfig' } }, names: /detail-type/ },
  logReplay: { event: { destination: 7 }, names: /destination/ },
  nodeTags: { event: { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Successful', region: 'eu-west-1', account: '111122223333', time: '2026-03-02T09:00:00Z', detail: {} }, names: /detail\./ },
};

describe('the error policy of the asynchronously invoked functions', () => {
  it.each(FUNCTIONS)('%s: an invalid event is tried once, sent to the failure queue with its reason, and the invocation succeeds', async (name) => {
    const { aws, lambda, queued, slack } = setUp();
    const { event, names } = INVALID[name];

    const delivery = await lambda.invokeAsync(name, event);

    expect(delivery).toEqual({ delivered: true, attempts: 1 });
    expect(lambda.invocations).toEqual([expect.objectContaining({ functionName: name, attempt: 1, result: { outcome: 'rejected', reason: expect.stringMatching(names) } })]);
    // Lambda's own destination got nothing: the event is in the queue once, as eksops sent it.
    expect(lambda.failedAsync).toEqual([]);
    expect(queued()).toEqual([
      {
        version: '1.0',
        timestamp: '2026-03-02T09:00:00.000Z',
        requestContext: { requestId: expect.any(String), functionArn: `arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-${name}`, condition: 'InvalidEvent', approximateInvokeCount: 1 },
        requestPayload: JSON.parse(JSON.stringify(event)),
        responseContext: { statusCode: 200, executedVersion: '$LATEST' },
        responsePayload: { errorType: 'InvalidEventError', errorMessage: expect.stringMatching(names) },
      },
    ]);
    expect(aws.account.changes.filter((change) => change.service !== 'sqs')).toEqual([]);
    expect(slack).toEqual([]);
  });

  it('a transient failure still throws: Lambda retries it twice, then its on-failure destination keeps it, and the queue gets nothing from eksops', async () => {
    const { aws, lambda, queued, slack } = setUp();
    aws.account.injectFault({ clientName: 'EKSClient', commandName: 'DescribeClusterCommand', times: 100, error: () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }) });

    const delivery = await lambda.invokeAsync('clusterOnboarding', createCluster);

    expect(delivery).toEqual({ delivered: false, attempts: 3 });
    expect(lambda.invocations.map((invocation) => invocation.error?.name)).toEqual(['ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    expect(lambda.failedAsync).toEqual([expect.objectContaining({ functionName: 'clusterOnboarding', destination: 'FailureQueue', error: expect.objectContaining({ name: 'ThrottlingException' }), attempts: 3 })]);
    expect(queued()).toEqual([]);
    expect(slack).toEqual([]);
  });

  it('a transient failure of the node tags reconcile (Secrets Manager throttled) still throws, and is retried', async () => {
    const { aws, lambda, queued } = setUp();
    aws.account.injectFault({ clientName: 'SecretsManagerClient', commandName: 'GetSecretValueCommand', times: 100, error: () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }) });
    const scheduled = { version: '0', id: 'e1', source: 'aws.events', 'detail-type': 'Scheduled Event', account: aws.here.accountId, region: aws.here.region, time: '2026-03-02T09:00:00Z', resources: [], detail: {} };

    expect(await lambda.invokeAsync('nodeTags', scheduled)).toEqual({ delivered: false, attempts: 3 });
    // The secret reader wraps the SDK's error; its cause is the throttling, so the kind stays transient.
    expect(lambda.failedAsync).toEqual([expect.objectContaining({ functionName: 'nodeTags', destination: 'FailureQueue', error: expect.objectContaining({ name: 'SecretReadError' }), attempts: 3 })]);
    expect(queued()).toEqual([]);
  });

  it('an invalid event the queue cannot take (the queue is missing) is thrown, so Lambda retries it and its destination keeps it: nothing is lost', async () => {
    const { lambda, queued } = setUp({ queue: false });

    const delivery = await lambda.invokeAsync('clusterOnboarding', INVALID.clusterOnboarding.event);

    expect(delivery).toEqual({ delivered: false, attempts: 3 });
    expect(lambda.failedAsync).toEqual([expect.objectContaining({ functionName: 'clusterOnboarding', destination: 'FailureQueue', error: expect.objectContaining({ name: 'InvalidEventError' }) })]);
    expect(queued()).toEqual([]);
  });
});
