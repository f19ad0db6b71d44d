import type { BuildOptions } from 'esbuild';

/**
 * serverless-esbuild's own settings, which it deletes before handing the rest to esbuild
 * (serverless-esbuild 1.57, dist/bundle.js).
 */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
] as const;

/** serverless-esbuild options that name files it require()s; reproducing them would mean running the plugin. */
const UNSUPPORTED_OPTIONS = ['config', 'plugins'] as const;

export class EsbuildOptionsError extends Error {
  override readonly name = 'EsbuildOptionsError';
}

export interface FunctionBuildOptions {
  /** Everything but entryPoints and outdir, which differ per function. */
  options: BuildOptions;
  /** `.mjs`: the bundle is `<entry name><outputExtension>` in outdir. */
  outputExtension: string;
  /** Extensions tried, in order, to find a handler's file. */
  resolveExtensions: string[];
}

function stringArray(value: unknown): string[] {
  const items: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is string => typeof item === 'string');
}

/**
 * The esbuild options serverless-esbuild derives from `custom.esbuild` (already free of `${…}` variables):
 * its defaults (bundle, target from the runtime, platform node, exclude aws-sdk, `.js`), overridden by the
 * custom ones, its own settings removed, `exclude` turned into `external`, the output extension into
 * `outExtension`.
 */
export function toEsbuildOptions(custom: Record<string, unknown>, nodeMajor: number): FunctionBuildOptions {
  for (const option of UNSUPPORTED_OPTIONS) {
    if (custom[option] !== undefined) {
      throw new EsbuildOptionsError(`custom.esbuild.${option} loads a file through serverless-esbuild; the bench cannot reproduce it`);
    }
  }
  // The plugin merges with ramda's mergeDeepRight; the only nested defaults are in its own (removed) settings.
  const merged: Record<string, unknown> = {
    bundle: true,
    target: `node${nodeMajor}`,
    external: [],
    exclude: ['aws-sdk'],
    platform: 'node',
    outputFileExtension: '.js',
    ...custom,
  };
  const exclude = stringArray(merged.exclude);
  const outputExtension = typeof merged.outputFileExtension === 'string' ? merged.outputFileExtension : '.js';
  const esm = merged.format === 'esm' || merged.platform === 'neutral';
  if (esm && outputExtension === '.cjs') throw new EsbuildOptionsError('format esm cannot output .cjs (serverless-esbuild refuses it too)');
  if (!esm && outputExtension === '.mjs') throw new EsbuildOptionsError('only esm builds may output .mjs (serverless-esbuild refuses it too)');

  const esbuildOptions = Object.fromEntries(Object.entries(merged).filter(([key]) => !(PLUGIN_ONLY_OPTIONS as readonly string[]).includes(key)));
  const options: BuildOptions = {
    ...esbuildOptions,
    external: [...stringArray(merged.external), ...(exclude.includes('*') ? [] : exclude)],
    ...(outputExtension === '.js' ? {} : { outExtension: { '.js': outputExtension } }),
  };
  const resolveExtensions = stringArray(merged.resolveExtensions);
  return { options, outputExtension, resolveExtensions: resolveExtensions.length > 0 ? resolveExtensions : ['.ts', '.js', '.jsx', '.tsx'] };
}
