import type { AwsClientFactory } from '../aws/client-factory.ts';
import { secretReaderFor } from '../secrets/secret-reader.ts';

/** The env var naming the Secrets Manager secret (ARN) whose value signs the `eksops:managed` records. */
export const RECORD_KEY_SECRET_ENV = 'EKSOPS_TAG_RECORD_KEY_SECRET';

export class MissingRecordKeyError extends Error {
  override readonly name = 'MissingRecordKeyError';
}

/** The record key. The secret reader caches the value (5 minutes): warm invocations do not call Secrets Manager again. */
export async function readRecordKey(deps: { clients: AwsClientFactory; env?: Readonly<Record<string, string | undefined>> | undefined }): Promise<string> {
  const secret = deps.env?.[RECORD_KEY_SECRET_ENV] ?? process.env[RECORD_KEY_SECRET_ENV];
  if (!secret) throw new MissingRecordKeyError(`${RECORD_KEY_SECRET_ENV} is not set: without the record key eksops cannot tell its own records from forged ones`);
  return secretReaderFor(deps.clients).read({ secretsManager: secret });
}
