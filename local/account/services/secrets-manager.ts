import {
  type GetSecretValueCommandInput,
  type GetSecretValueCommandOutput,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';

interface Secret {
  name: string;
  arn: string;
  value: string;
  createdAt: Date;
}

/** Secrets Manager: secrets looked up by name or ARN. */
export class SandboxSecretsManager implements SandboxService {
  readonly clientName = 'SecretsManagerClient';
  readonly label = 'secretsmanager';
  readonly #secrets = new Map<string, Secret>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  readonly commands = {
    GetSecretValueCommand: (input: GetSecretValueCommandInput, ctx: CallContext): ServiceOutput<GetSecretValueCommandOutput> => {
      const id = input.SecretId ?? '';
      const secret = [...this.#secrets.values()].find((candidate) => candidate.name === id || candidate.arn === id);
      if (!secret || !secret.arn.includes(`:${ctx.region}:${ctx.accountId}:`)) {
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
      }
      return { ARN: secret.arn, Name: secret.name, SecretString: secret.value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: secret.createdAt };
    },
  };

  seedSecret(target: AccountRegion, name: string, value: string): string {
    // Secrets Manager appends a hyphen and six random characters to every secret ARN.
    const arn = `arn:aws:secretsmanager:${target.region}:${target.accountId}:secret:${name}-AbCdEf`;
    this.#secrets.set(arn, { name, arn, value, createdAt: this.#clock.now() });
    return arn;
  }
}
