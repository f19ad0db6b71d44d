import type { Config } from './schema.ts';

/**
 * The configuration a deployed function runs with. `sls package` validates eksops.config.yml and esbuild
 * bakes into each bundle, as `__EKSOPS_CONFIG__`, the sections that function reads, already parsed by the schema
 * (deploy/deployment.ts functionConfigs: defaults filled, the other sections at their defaults; also for
 * `sls invoke local`, which bundles the same way), so a function never reads a file or calls an API for it, and
 * its cold start builds no schema: the parse already happened, on the same schema, when the bundle was made.
 */
declare const __EKSOPS_CONFIG__: unknown;

let cached: Config | undefined;

export function runtimeConfig(): Config {
  if (typeof __EKSOPS_CONFIG__ === 'undefined') {
    throw new Error('No eksops configuration in this bundle: build it with `sls package` (deploy/esbuild-plugins.cjs defines __EKSOPS_CONFIG__)');
  }
  cached ??= __EKSOPS_CONFIG__ as Config;
  return cached;
}
