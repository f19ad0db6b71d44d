import { AwsClientFactory } from '../aws/client-factory.ts';
import { runtimeConfig } from '../config/runtime.ts';
import type { Config } from '../config/schema.ts';
import { defaultFetch } from '../http/fetch.ts';
import { configuredNotifier } from '../notify/configured-notifier.ts';
import type { Notifier } from '../notify/notifier.ts';
import { type Clock, systemClock } from '../time/clock.ts';

export interface ProductionDeps {
  config: Config;
  clients: AwsClientFactory;
  notifier: Notifier;
  clock: Clock;
}

let deps: ProductionDeps | undefined;

/**
 * What a deployed function runs with, built once per cold start at module scope (no network call here:
 * clients connect and secrets are read on first use) and reused by every warm invocation.
 */
export function productionDeps(): ProductionDeps {
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
    notifier: configuredNotifier(config.notify.slack, { clients, fetch: defaultFetch, clock: systemClock }),
  };
  return deps;
}
