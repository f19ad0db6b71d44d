import { AwsClientFactory } from '../aws/client-factory.ts';
import { runtimeConfig } from '../config/runtime.ts';
import { defaultFetch } from '../http/fetch.ts';
import { configuredNotifier } from '../notify/configured-notifier.ts';
import { systemClock } from '../time/clock.ts';
import type { FunctionDeps } from './deps.ts';

let deps: FunctionDeps | undefined;

/**
 * What a deployed function runs with, built once per cold start at module scope (no network call here:
 * clients connect and secrets are read on first use) and reused by every warm invocation.
 */
export function productionDeps(): FunctionDeps {
  if (deps) return deps;
  const config = runtimeConfig();
  const clients = new AwsClientFactory({
    defaultRegion: process.env.AWS_REGION ?? config.region,
    ownAccountId: process.env.EKSOPS_ACCOUNT_ID,
    accounts: config.accounts,
  });
  deps = {
    config,
    clients,
    clock: systemClock,
    fetch: defaultFetch,
    env: process.env,
    notifier: configuredNotifier(config.notify.slack, { clients, fetch: defaultFetch, clock: systemClock }),
  };
  return deps;
}
