import type { AwsClientFactory } from '../shared/aws/client-factory.ts';
import type { Config } from '../shared/config/schema.ts';
import type { Notifier } from '../shared/notify/notifier.ts';
import type { Clock } from '../shared/time/clock.ts';
import { CAPABILITIES } from './capabilities/index.ts';
import type { LambdaHandler } from './lambda/runtime.ts';

export interface SandboxDeps {
  config: Config;
  clients: AwsClientFactory;
  notifier: Notifier;
  clock: Clock;
}

/**
 * Every function of serverless.yml, built with the sandbox's dependencies instead of production's: the same
 * `makeHandler` the deployed `handler.ts` calls. A test checks that this lists every function of the template.
 */
export const SANDBOX_FUNCTIONS: Record<string, (deps: SandboxDeps) => LambdaHandler> = Object.assign({}, ...CAPABILITIES.map((capability) => capability.functions));
