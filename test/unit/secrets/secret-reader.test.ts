import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { AccessDeniedException, GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { inspect } from 'node:util';
import { createSecretReader, SecretReadError } from '../../../shared/secrets/secret-reader.ts';

const WEBHOOK = 'https://hooks.slack.com/services/T0001/B0001/s3cr3tWebhookPart';
const TOKEN = 'xoxb-1111-2222-s3cr3tTokenPart';

function setup(maxAgeSeconds?: number) {
  const ssmClient = new SSMClient({});
  const secretsManagerClient = new SecretsManagerClient({});
  const ssm = mockClient(ssmClient);
  const secretsManager = mockClient(secretsManagerClient);
  const reader = createSecretReader({
    ssmClient,
    secretsManagerClient,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
  });
  return { reader, ssm, secretsManager };
}

async function readError(promise: Promise<unknown>): Promise<SecretReadError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof SecretReadError)) throw new Error(`expected a SecretReadError, got ${inspect(error)}`);
  return error;
}

describe('createSecretReader: SSM SecureString', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  it('reads the parameter with decryption and returns its value', async () => {
    env.ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/eksops/slack/webhook', Value: WEBHOOK } });

    const value = await env.reader.read({ ssmParameter: '/eksops/slack/webhook' });

    expect(value).toBe(WEBHOOK);
    expect(env.ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/eksops/slack/webhook', WithDecryption: true });
  });

  it('trims the whitespace a pasted value often carries', async () => {
    env.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: `  ${TOKEN}\n` } });
    await expect(env.reader.read({ ssmParameter: '/eksops/slack/token' })).resolves.toBe(TOKEN);
  });

  it('says which parameter does not exist', async () => {
    env.ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} }));

    const error = await readError(env.reader.read({ ssmParameter: '/eksops/slack/missing' }));

    expect(error.name).toBe('SecretReadError');
    expect(error.reason).toBe('not-found');
    expect(error.message).toBe(
      'Cannot read the secret from SSM parameter /eksops/slack/missing: it does not exist (ParameterNotFound)',
    );
    expect(error.cause).toBeInstanceOf(ParameterNotFound);
  });

  it('says the role may not read the parameter', async () => {
    const reason = 'User: arn:aws:sts::123456789012:assumed-role/eksops-scan is not authorized to perform: ssm:GetParameter';
    const denied = new AccessDeniedException({ message: reason, Message: reason, $metadata: {} });
    env.ssm.on(GetParameterCommand).rejects(denied);

    const error = await readError(env.reader.read({ ssmParameter: '/eksops/slack/webhook' }));

    expect(error.reason).toBe('access-denied');
    expect(error.message).toContain('SSM parameter /eksops/slack/webhook');
    expect(error.message).toContain('AccessDeniedException');
    expect(error.cause).toBe(denied);
  });

  it('refuses an empty value', async () => {
    env.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '   ' } });
    expect((await readError(env.reader.read({ ssmParameter: '/eksops/slack/webhook' }))).reason).toBe('empty');
  });

  it('caches the value across reads, so warm invocations do not call SSM again', async () => {
    env.ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: WEBHOOK } })
      .resolves({ Parameter: { Value: 'rotated' } });

    const first = await env.reader.read({ ssmParameter: '/eksops/slack/webhook' });
    const second = await env.reader.read({ ssmParameter: '/eksops/slack/webhook' });

    expect([first, second]).toEqual([WEBHOOK, WEBHOOK]);
    expect(env.ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
  });

  it('reads again when caching is turned off', async () => {
    const uncached = setup(0);
    uncached.ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: WEBHOOK } })
      .resolves({ Parameter: { Value: 'rotated' } });

    await uncached.reader.read({ ssmParameter: '/eksops/slack/webhook' });
    const second = await uncached.reader.read({ ssmParameter: '/eksops/slack/webhook' });

    expect(second).toBe('rotated');
    expect(uncached.ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });
});

describe('createSecretReader: Secrets Manager', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  it('returns a plain SecretString', async () => {
    env.secretsManager.on(GetSecretValueCommand, { SecretId: 'eksops/slack' }).resolves({ SecretString: TOKEN });

    await expect(env.reader.read({ secretsManager: 'eksops/slack' })).resolves.toBe(TOKEN);
    expect(env.secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'eksops/slack' });
  });

  it('returns the value under jsonKey of a JSON secret', async () => {
    env.secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ botToken: TOKEN, other: 'x' }) });

    await expect(env.reader.read({ secretsManager: 'eksops/slack', jsonKey: 'botToken' })).resolves.toBe(TOKEN);
  });

  it('names the missing key without printing the secret', async () => {
    env.secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ webhook: WEBHOOK }) });

    const error = await readError(env.reader.read({ secretsManager: 'eksops/slack', jsonKey: 'webhookUrl' }));

    expect(error.reason).toBe('missing-json-key');
    expect(error.message).toBe(
      'Cannot read the secret from Secrets Manager secret eksops/slack: the secret\'s JSON has no key "webhookUrl"',
    );
    expect(inspect(error, { depth: 5 })).not.toContain('s3cr3t');
  });

  it('does not echo a secret that is not JSON, although JSON.parse would quote it', async () => {
    // Short enough that Node's JSON.parse message would quote all of it.
    env.secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 's3cr3t-raw-value' });

    const error = await readError(env.reader.read({ secretsManager: 'eksops/slack', jsonKey: 'webhook' }));

    expect(error.reason).toBe('not-json');
    expect(error.message).toBe(
      'Cannot read the secret from Secrets Manager secret eksops/slack: ' +
        'jsonKey "webhook" is set but the secret is not a JSON object',
    );
    expect(inspect(error, { depth: 5 })).not.toContain('s3cr3t');
  });

  it('refuses a binary secret', async () => {
    env.secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new TextEncoder().encode(TOKEN) });

    const error = await readError(env.reader.read({ secretsManager: 'eksops/slack' }));

    expect(error.reason).toBe('not-a-string');
    expect(inspect(error, { depth: 5 })).not.toContain('s3cr3t');
  });

  it('says which secret does not exist', async () => {
    const notFound = new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
    env.secretsManager.on(GetSecretValueCommand).rejects(notFound);
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eksops/slack';

    const error = await readError(env.reader.read({ secretsManager: arn }));

    expect(error.reason).toBe('not-found');
    expect(error.message).toBe(
      `Cannot read the secret from Secrets Manager secret ${arn}: it does not exist (ResourceNotFoundException)`,
    );
  });

  it('says the role may not read the secret', async () => {
    env.secretsManager.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'User: arn:aws:sts::123456789012:assumed-role/eksops-scan is not authorized to perform: GetSecretValue',
      }),
    );

    const error = await readError(env.reader.read({ secretsManager: 'eksops/slack' }));

    expect(error.reason).toBe('access-denied');
    expect(error.message).toContain('Secrets Manager secret eksops/slack');
  });

  it('caches the secret', async () => {
    env.secretsManager.on(GetSecretValueCommand).resolves({ SecretString: TOKEN });

    await env.reader.read({ secretsManager: 'eksops/slack' });
    await env.reader.read({ secretsManager: 'eksops/slack' });

    expect(env.secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });
});
