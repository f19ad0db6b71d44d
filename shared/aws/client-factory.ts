import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MetadataBearer, Pluggable, RetryStrategyV2 } from '@smithy/types';
import { type SecretReader, secretReaderFor } from '../secrets/secret-reader.ts';
import type { SecretRef } from '../secrets/secret-ref.ts';

/** Where a client points: a region, and the account (omitted: the account eksops runs in). */
export interface ClientTarget {
  region: string;
  accountId?: string;
}

export interface AssumableAccount {
  id: string;
  roleArn: string;
  /**
   * The external ID the other account's trust policy requires: a secret reference (it is a shared secret, so
   * it is read from SSM / Secrets Manager when the role is first assumed, never bundled). A plain string is
   * still accepted for tests and the sandbox.
   */
  externalId?: SecretRef | string | undefined;
}

/** The configuration every SDK v3 client constructor accepts and that this factory sets. */
interface FactoryClientConfig {
  region: string;
  maxAttempts?: number;
  retryMode?: string;
  retryStrategy?: RetryStrategyV2;
  credentials?: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>);
}

interface SdkClient {
  middlewareStack: { use(plugin: Pluggable<object, MetadataBearer>): void };
}

export type ClientConstructor<C extends SdkClient> = new (config: FactoryClientConfig) => C;

export interface AwsClientFactoryOptions {
  defaultRegion: string;
  /** Accounts reached by assuming a role; a target naming another account must be listed here. */
  accounts?: readonly AssumableAccount[];
  /** Plugins added to every client built for a target, e.g. the sandbox's in-memory account. */
  plugins?: (target: Required<ClientTarget>) => Pluggable<object, MetadataBearer>[];
  /** The account this process runs in, used only to tell own-account targets apart. */
  ownAccountId?: string;
  /** Overrides the retry policy (tests use a short backoff). Default: adaptive mode, 8 attempts. */
  retryStrategy?: RetryStrategyV2;
  credentials?: AwsCredentialIdentity;
  /** Reads externalId secrets; default: SSM / Secrets Manager of the own account and the default region. */
  secretReader?: SecretReader;
}

export class UnknownAccountError extends Error {
  override readonly name = 'UnknownAccountError';
  constructor(accountId: string) {
    super(`account ${accountId} is not configured: add it under accounts with the role eksops assumes there`);
  }
}

/**
 * The one place AWS clients are built. Clients are cached per (client class, region, account), so a
 * factory at module scope reuses them across warm invocations. Retries: adaptive mode with 8 attempts
 * (client-side rate limiting on throttles on top of jittered exponential backoff); throttling and 5xx are
 * retried by the SDK itself, so cores see only what is left after that.
 */
export class AwsClientFactory {
  readonly #options: AwsClientFactoryOptions;
  readonly #clients = new Map<ClientConstructor<SdkClient>, Map<string, SdkClient>>();

  constructor(options: AwsClientFactoryOptions) {
    this.#options = options;
  }

  get defaultRegion(): string {
    return this.#options.defaultRegion;
  }

  /** The deployment's own account ID (EKSOPS_ACCOUNT_ID, set by serverless.yml), when known. */
  get ownAccountId(): string | undefined {
    return this.#options.ownAccountId;
  }

  client<C extends SdkClient>(Client: ClientConstructor<C>, target: Partial<ClientTarget> = {}): C {
    const region = target.region ?? this.#options.defaultRegion;
    const accountId = target.accountId && target.accountId !== this.#options.ownAccountId ? target.accountId : 'self';
    const key = `${region}/${accountId}`;
    let byTarget = this.#clients.get(Client as ClientConstructor<SdkClient>);
    if (!byTarget) {
      byTarget = new Map();
      this.#clients.set(Client as ClientConstructor<SdkClient>, byTarget);
    }
    const cached = byTarget.get(key);
    if (cached) return cached as C;
    const client = this.#build(Client, region, accountId);
    byTarget.set(key, client);
    return client;
  }

  #build<C extends SdkClient>(Client: ClientConstructor<C>, region: string, accountId: string): C {
    const config: FactoryClientConfig = { region };
    if (this.#options.retryStrategy) config.retryStrategy = this.#options.retryStrategy;
    else Object.assign(config, { retryMode: 'adaptive', maxAttempts: 8 });
    if (accountId !== 'self') config.credentials = this.#assumeRole(accountId, region);
    else if (this.#options.credentials) config.credentials = this.#options.credentials;
    const client = new Client(config);
    for (const plugin of this.#options.plugins?.({ region, accountId: accountId === 'self' ? (this.#options.ownAccountId ?? 'self') : accountId }) ?? []) {
      client.middlewareStack.use(plugin);
    }
    return client;
  }

  #reader: SecretReader | undefined;

  // The project's one secret reader, built when an external ID is first read. Imported statically: every function
  // bundles it already (the Slack notifier's secret), and a dynamic import would stop esbuild from dropping the
  // SSM and Secrets Manager commands nobody sends (all 154 + 23 of them, about 119 KB per bundle).
  async #secretReader(): Promise<SecretReader> {
    this.#reader ??= this.#options.secretReader ?? secretReaderFor(this);
    return this.#reader;
  }

  #assumeRole(accountId: string, region: string): AwsCredentialIdentity | AwsCredentialIdentityProvider {
    const account = this.#options.accounts?.find((candidate) => candidate.id === accountId);
    if (!account) throw new UnknownAccountError(accountId);
    // Static credentials (the sandbox, tests) stand for every account: there is no STS to ask.
    if (this.#options.credentials) return this.#options.credentials;
    const externalId = account.externalId;
    const assume = (ExternalId?: string) =>
      fromTemporaryCredentials({
        params: {
          RoleArn: account.roleArn,
          RoleSessionName: 'eksops',
          ...(ExternalId ? { ExternalId } : {}),
          // One hour: the longest a role-chained session may last, and longer than any Lambda invocation.
          DurationSeconds: 3600,
        },
        clientConfig: { region },
      });
    if (externalId === undefined || typeof externalId === 'string') return assume(externalId);
    // Resolved at assume time, once per client; a failed read is retried on the next call.
    let provider: Promise<AwsCredentialIdentityProvider> | undefined;
    return async () => {
      provider ??= this.#secretReader()
        .then((reader) => reader.read(externalId))
        .then((value) => assume(value))
        .catch((error: unknown) => {
          provider = undefined;
          throw error;
        });
      return (await provider)();
    };
  }
}
