import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { AwsClientFactory } from '../../shared/aws/client-factory.ts';
import { VirtualClock } from '../time/virtual-clock.ts';
import { SandboxAccount } from './account.ts';
import { sandboxPlugin } from './sdk-plugin.ts';
import { SandboxEks } from './services/eks.ts';
import { SandboxEksNodegroups } from './services/eks-nodegroups.ts';
import { SandboxSecretsManager } from './services/secrets-manager.ts';
import { SandboxSsm } from './services/ssm.ts';
import { SandboxSqs } from './services/sqs.ts';
import { SandboxSts } from './services/sts.ts';

/** The services every account has, which a capability's services may build on. */
export interface CoreServices {
  account: SandboxAccount;
  clock: VirtualClock;
  eks: SandboxEks;
  eksNodegroups: SandboxEksNodegroups;
}

/** Registers the services a capability adds to the in-memory account (`account.register(...)`). */
export type RegisterServices = (core: CoreServices) => void;

export interface InMemoryAwsOptions {
  start?: string | Date;
  accountId?: string;
  region?: string;
  /** Extra accounts reachable through the factory, as if configured under `accounts`. */
  otherAccounts?: string[];
  /** The capabilities' services (each sandbox plugin's `services`), registered after the core ones. */
  services?: readonly RegisterServices[];
}

/** What every sandbox client signs with (the sandbox's Kubernetes API checks EKS tokens against it). */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'ASIASANDBOX', secretAccessKey: 'sandbox' };

/**
 * An in-memory AWS account and a client factory wired to it: what the sandbox and integration tests hand
 * to handlers in place of the production factory. Retries keep the SDK's real strategy with a 1 ms backoff
 * so a throttling test exercises the retry path without waiting. The account knows no capability: the
 * services beyond the core ones are the ones it is given (local/sandbox.ts gives every plugin's).
 */
export function createInMemoryAws(options: InMemoryAwsOptions = {}) {
  const clock = new VirtualClock(options.start);
  const account = new SandboxAccount({ clock, accountId: options.accountId, defaultRegion: options.region });
  const eks = account.register(new SandboxEks(clock));
  const services = {
    eks,
    eksNodegroups: account.register(new SandboxEksNodegroups(eks, clock)),
    ssm: account.register(new SandboxSsm(clock)),
    secretsManager: account.register(new SandboxSecretsManager(clock)),
    sts: account.register(new SandboxSts()),
    sqs: account.register(new SandboxSqs()),
  };
  for (const register of options.services ?? []) register({ account, clock, eks, eksNodegroups: services.eksNodegroups });
  const clients = new AwsClientFactory({
    defaultRegion: account.defaultRegion,
    ownAccountId: account.accountId,
    accounts: (options.otherAccounts ?? []).map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/eksops` })),
    credentials: SANDBOX_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(4, 1),
    plugins: (target) => [sandboxPlugin(account, target)],
  });
  const here = { accountId: account.accountId, region: account.defaultRegion };
  return { clock, account, services, clients, here };
}

export type InMemoryAws = ReturnType<typeof createInMemoryAws>;
