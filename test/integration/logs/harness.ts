import { S3Client } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { createSandboxAws, type SandboxAws } from '../../../local/sandbox.ts';
import { SandboxS3 } from '../../../local/account/services/s3.ts';
import { type Config, ConfigSchema } from '../../../shared/config/schema.ts';
import { defaultFetch } from '../../../shared/http/fetch.ts';
import { encodeSubscriptionData, type SubscriptionPayload } from '../../../shared/logs/subscription-payload.ts';
import { FailureStore } from '../../../shared/logs/failure-store.ts';
import { eventId } from '../../unit/logs/fixtures.ts';
import type { Context } from 'aws-lambda';

export const BUCKET = 'eksops-test-failures';

/** A sandbox account with the failure-store bucket, and a configuration with these logs settings. */
export function logsSandbox(logs: Record<string, unknown>): { aws: SandboxAws; config: Config; store: FailureStore; env: Record<string, string> } {
  const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
  aws.account.service(SandboxS3).createBucket(BUCKET);
  const config = ConfigSchema.parse({ region: 'eu-west-1', clusters: [{ name: 'prod' }], logs: { enabled: true, ...logs } });
  return { aws, config, store: new FailureStore(aws.clients.client(S3Client), BUCKET), env: { EKSOPS_LOGS_FAILURE_BUCKET: BUCKET } };
}

export function forwarderDeps(sandbox: ReturnType<typeof logsSandbox>) {
  return { config: sandbox.config, clients: sandbox.aws.clients, clock: sandbox.aws.clock, fetch: defaultFetch, env: sandbox.env };
}

/** A Lambda context whose remaining time runs on the sandbox's virtual clock. */
export function contextFor(aws: SandboxAws, timeoutSeconds = 120): Context {
  const deadline = aws.clock.now().getTime() + timeoutSeconds * 1000;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - aws.clock.now().getTime()), awsRequestId: 'test', functionName: 'logForwarder' } as unknown as Context;
}

export function subscriptionEvent(logStream: string, messages: readonly string[], logGroup = '/aws/eks/prod/cluster', timestamp = Date.parse('2026-03-02T08:59:59Z')): { awslogs: { data: string } } {
  const payload: SubscriptionPayload = {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup,
    logStream,
    subscriptionFilters: ['eksops-dev'],
    logEvents: messages.map((message) => ({ id: eventId(), timestamp, message })) as SubscriptionPayload['logEvents'],
  };
  return { awslogs: { data: encodeSubscriptionData(payload) } };
}

/** The parsed lines of every object under a prefix of the failure store. */
export function storedLines<T = Record<string, unknown>>(aws: SandboxAws, prefix: string): T[] {
  return storedText(aws, prefix).map((line) => JSON.parse(line) as T);
}

/** The same lines, as the text S3 holds. */
export function storedText(aws: SandboxAws, prefix: string): string[] {
  return [...aws.account.service(SandboxS3).objects(BUCKET, prefix).values()].flatMap((body) =>
    gunzipSync(body)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );
}
