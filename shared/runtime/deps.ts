import type { AwsClientFactory } from '../aws/client-factory.ts';
import type { Config } from '../config/schema.ts';
import type { Fetch } from '../http/fetch.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { Clock } from '../time/clock.ts';

/**
 * Everything a function's core gets from outside: the seams of the architecture. Production builds them in
 * shared/runtime/production.ts; the sandbox and the tests build their own (local/sandbox.ts).
 */
export interface FunctionDeps {
  config: Config;
  clients: AwsClientFactory;
  notifier: Notifier;
  clock: Clock;
  fetch: Fetch;
  /** The function's environment as serverless.yml sets it (resource names: buckets, tables, queues). */
  env: Readonly<Record<string, string | undefined>>;
}
