import { readFileSync } from 'node:fs';
import { parseConfig, parseConfigYaml } from './load.ts';
import type { Config } from './schema.ts';

/**
 * The configuration a deployed function runs with. `sls package` validates eksops.config.yml and esbuild
 * bakes the result into every bundle as `__EKSOPS_CONFIG__`, so a function never reads a file or calls
 * an API for it; it is parsed again once per cold start (cheap, and it fills defaults the same way).
 * `EKSOPS_CONFIG_FILE` serves `sls invoke local` and other local runs.
 */
declare const __EKSOPS_CONFIG__: unknown;

let cached: Config | undefined;

export function runtimeConfig(): Config {
  cached ??= readRuntimeConfig();
  return cached;
}

function readRuntimeConfig(): Config {
  if (typeof __EKSOPS_CONFIG__ !== 'undefined') return parseConfig(__EKSOPS_CONFIG__, 'bundled configuration');
  const file = process.env.EKSOPS_CONFIG_FILE;
  if (file) return parseConfigYaml(readFileSync(file, 'utf8'), file);
  throw new Error('No eksops configuration: bundle it with `sls package` or set EKSOPS_CONFIG_FILE to a config file');
}
