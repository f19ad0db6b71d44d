import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { AwsClientFactory } from '../../shared/aws/client-factory.ts';
import { VirtualClock } from '../time/virtual-clock.ts';
import { SandboxAccount } from './account.ts';
import { sandboxPlugin } from './sdk-plugin.ts';
import { SandboxEks } from './services/eks.ts';
import { SandboxSecretsManager } from './services/secrets-manager.ts';
import { SandboxSsm } from './services/ssm.ts';
import { SandboxSts } from './services/sts.ts';

export interface SandboxAwsOptions {
  start?: string | Date;
  accountId?: string;
  region?: string;
  /** Extra accounts reachable through the factory, as if configured under `accounts`. */
  otherAccounts?: string[];
}

/**
 * An in-memory AWS account and a client factory wired to it: what the sandbox and integration tests hand
 * to handlers in place of the production factory. Retries keep the SDK's real strategy with a 1 ms backoff
 * so a throttling test exercises the retry path without waiting.
 */
export function createSandboxAws(options: SandboxAwsOptions = {}) {
  const clock = new VirtualClock(options.start);
  const account = new SandboxAccount({ clock, accountId: options.accountId, defaultRegion: options.region });
  const services = {
    eks: account.register(new SandboxEks(clock)),
    ssm: account.register(new SandboxSsm(clock)),
    secretsManager: account.register(new SandboxSecretsManager(clock)),
    sts: account.register(new SandboxSts()),
  };
  const clients = new AwsClientFactory({
    defaultRegion: account.defaultRegion,
    ownAccountId: account.accountId,
    accounts: (options.otherAccounts ?? []).map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/eksops` })),
    credentials: { accessKeyId: 'ASIASANDBOX', secretAccessKey: 'sandbox' },
    retryStrategy: new ConfiguredRetryStrategy(4, 1),
    plugins: (target) => [sandboxPlugin(account, target)],
  });
  const here = { accountId: account.accountId, region: account.defaultRegion };
  return { clock, account, services, clients, here };
}

export type SandboxAws = ReturnType<typeof createSandboxAws>;
