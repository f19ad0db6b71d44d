import { S3Client } from '@aws-sdk/client-s3';
import type { AwsClientFactory } from '../aws/client-factory.ts';
import { FailureStore } from './failure-store.ts';

/** The env var naming the failure store's bucket (`{ Ref: LogsFailureBucket }` in serverless/logs.functions.yml). */
export const FAILURE_BUCKET_ENV = 'EKSOPS_LOGS_FAILURE_BUCKET';

export class MissingFailureBucketError extends Error {
  override readonly name = 'MissingFailureBucketError';
}

/** The failure store the forwarder writes and the replay reads; a function deployed without its bucket fails at cold start. */
export function failureStoreFromEnv(deps: { clients: AwsClientFactory; env: Readonly<Record<string, string | undefined>> }, needs: string): FailureStore {
  const bucket = deps.env[FAILURE_BUCKET_ENV];
  if (!bucket) throw new MissingFailureBucketError(`${FAILURE_BUCKET_ENV} is not set: ${needs} the failure store`);
  return new FailureStore(deps.clients.client(S3Client), bucket);
}
