import { parseConfig } from './parse.ts';
import type { Config } from './schema.ts';

/**
 * The configuration a deployed function runs with. `sls package` validates eksops.config.yml and esbuild
 * bakes into each bundle, as `__EKSOPS_CONFIG__`, the sections that function reads (deploy/esbuild-plugins.cjs;
 * also for `sls invoke local`, which bundles the same way; the other sections parse to their defaults), so a
 * function never reads a file or calls an API for it. It is parsed once per cold start.
 */
declare const __EKSOPS_CONFIG__: unknown;

let cached: Config | undefined;

export function runtimeConfig(): Config {
  if (typeof __EKSOPS_CONFIG__ === 'undefined') {
    throw new Error('No eksops configuration in this bundle: build it with `sls package` (deploy/esbuild-plugins.cjs defines __EKSOPS_CONFIG__)');
  }
  cached ??= parseConfig(__EKSOPS_CONFIG__, 'bundled configuration');
  return cached;
}
