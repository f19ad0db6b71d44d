import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientFactory } from '../aws/client-factory.ts';
import type { SecretRef } from './secret-ref.ts';

/**
 * Reads a secret named by a SecretRef (the Slack webhook URL or bot token, a destination's credentials). The value never leaves this module except as
 * the return value: errors name the parameter and the reason, never the value.
 */

export type SecretReadFailure =
  | 'not-found'
  | 'access-denied'
  | 'decryption-failed'
  | 'not-a-string'
  | 'not-json'
  | 'missing-json-key'
  | 'empty'
  | 'wrong-shape'
  | 'unreadable';

export class SecretReadError extends Error {
  override readonly name = 'SecretReadError' as const;
  readonly reason: SecretReadFailure;
  /** Where the secret was looked for, e.g. "SSM parameter /eksops/slack/webhook". */
  readonly location: string;

  constructor(location: string, reason: SecretReadFailure, detail: string, options?: ErrorOptions) {
    super(`Cannot read the secret from ${location}: ${detail}`, options);
    this.reason = reason;
    this.location = location;
  }
}

export interface SecretReaderDeps {
  ssmClient: SSMClient;
  secretsManagerClient: SecretsManagerClient;
  /**
   * How long a value stays cached, in seconds. Warm Lambda invocations reuse it instead of calling SSM or
   * Secrets Manager for every message; a rotated secret is picked up within this time.
   */
  maxAgeSeconds?: number;
}

export interface SecretReader {
  read(ref: SecretRef): Promise<string>;
}

const DEFAULT_MAX_AGE_SECONDS = 300;

export function createSecretReader(deps: SecretReaderDeps): SecretReader {
  const ssm = new SSMProvider({ awsSdkV3Client: deps.ssmClient });
  const secrets = new SecretsProvider({ awsSdkV3Client: deps.secretsManagerClient });
  const maxAge = deps.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;

  return {
    async read(ref) {
      const location = secretLocation(ref);
      if ('ssmParameter' in ref) {
        const value = await fetchOrExplain(location, () => ssm.get(ref.ssmParameter, { decrypt: true, maxAge }));
        return nonEmptyString(value, location);
      }
      const stored = await fetchOrExplain(location, () => secrets.get(ref.secretsManager, { maxAge }));
      const value = nonEmptyString(stored, location);
      return ref.jsonKey === undefined ? value : pickJsonKey(value, ref.jsonKey, location);
    },
  };
}

/** A reader of the deployment's own account and region (where eksops's secrets are kept). */
export function secretReaderFor(clients: AwsClientFactory): SecretReader {
  return createSecretReader({ ssmClient: clients.client(SSMClient), secretsManagerClient: clients.client(SecretsManagerClient) });
}

/** Where a SecretRef points, for messages: "SSM parameter /eksops/slack" or "Secrets Manager secret eksops/slack". */
export function secretLocation(ref: SecretRef): string {
  return 'ssmParameter' in ref ? `SSM parameter ${ref.ssmParameter}` : `Secrets Manager secret ${ref.secretsManager}`;
}

async function fetchOrExplain(location: string, fetchValue: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fetchValue();
  } catch (error) {
    // Powertools wraps the SDK exception in a GetParameterError; the SDK's class name says what happened.
    const sdkError = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const { reason, detail } = classify(sdkError);
    throw new SecretReadError(location, reason, detail, { cause: sdkError });
  }
}

function classify(error: unknown): { reason: SecretReadFailure; detail: string } {
  const name = error instanceof Error ? error.name : 'UnknownError';
  switch (name) {
    case 'ParameterNotFound':
    case 'ResourceNotFoundException':
      return { reason: 'not-found', detail: `it does not exist (${name})` };
    case 'AccessDeniedException':
    case 'AccessDenied':
      return {
        reason: 'access-denied',
        detail:
          `the function's role may not read it (${name}); ` +
          'it needs ssm:GetParameter or secretsmanager:GetSecretValue, and kms:Decrypt on its key',
      };
    case 'DecryptionFailure':
    case 'InvalidKeyId':
    case 'KMSAccessDeniedException':
      return { reason: 'decryption-failed', detail: `its KMS key could not decrypt it (${name})` };
    default:
      return { reason: 'unreadable', detail: `${name}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function nonEmptyString(value: unknown, location: string): string {
  if (typeof value !== 'string') {
    // A SecretBinary secret comes back as bytes: the webhook URL and the token are text.
    throw new SecretReadError(location, 'not-a-string', 'the value is not a text (SecretString) value');
  }
  const trimmed = value.trim();
  if (trimmed === '') throw new SecretReadError(location, 'empty', 'the value is empty');
  return trimmed;
}

function pickJsonKey(secretJson: string, jsonKey: string, location: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretJson);
  } catch {
    // JSON.parse's own message quotes the input, which is the secret: it is not passed on.
    throw new SecretReadError(location, 'not-json', `jsonKey "${jsonKey}" is set but the secret is not a JSON object`);
  }
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const value = isObject ? (parsed as Record<string, unknown>)[jsonKey] : undefined;
  if (value === undefined) {
    throw new SecretReadError(location, 'missing-json-key', `the secret's JSON has no key "${jsonKey}"`);
  }
  return nonEmptyString(value, `${location} (key "${jsonKey}")`);
}
