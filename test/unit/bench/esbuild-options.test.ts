import { describe, expect, it } from '@jest/globals';
import { EsbuildOptionsError, toEsbuildOptions } from '../../../bench/coldstart/esbuild-options.ts';

const PROJECT_ESBUILD = {
  bundle: true,
  minify: true,
  sourcemap: true,
  keepNames: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  outputFileExtension: '.mjs',
  exclude: [],
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  define: { __EKSOPS_CONFIG__: '{"region":"eu-west-1"}' },
};

describe('toEsbuildOptions', () => {
  it('passes the project’s options to esbuild as serverless-esbuild does', () => {
    const { options, outputExtension } = toEsbuildOptions(PROJECT_ESBUILD, 22);

    expect(options).toEqual({
      bundle: true,
      minify: true,
      sourcemap: true,
      keepNames: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      external: [],
      mainFields: ['module', 'main'],
      banner: PROJECT_ESBUILD.banner,
      define: PROJECT_ESBUILD.define,
      outExtension: { '.js': '.mjs' },
    });
    expect(outputExtension).toBe('.mjs');
  });

  it('applies the plugin’s defaults: target from the runtime, aws-sdk excluded, .js output', () => {
    const { options, outputExtension, resolveExtensions } = toEsbuildOptions({}, 20);

    expect(options).toEqual({ bundle: true, target: 'node20', platform: 'node', external: ['aws-sdk'] });
    expect(outputExtension).toBe('.js');
    expect(resolveExtensions).toEqual(['.ts', '.js', '.jsx', '.tsx']);
  });

  it('turns exclude into external, unless it is *', () => {
    expect(toEsbuildOptions({ external: ['pg-native'], exclude: ['@aws-sdk/*'] }, 22).options.external).toEqual(['pg-native', '@aws-sdk/*']);
    expect(toEsbuildOptions({ exclude: ['*'] }, 22).options.external).toEqual([]);
  });

  it('removes the plugin’s own settings', () => {
    const { options } = toEsbuildOptions({ packager: 'pnpm', concurrency: 2, watch: { pattern: 'x' }, nodeExternals: true, minify: true }, 22);

    expect(Object.keys(options).sort()).toEqual(['bundle', 'external', 'minify', 'platform', 'target']);
  });

  it('refuses what only the plugin could reproduce or would refuse itself', () => {
    expect(() => toEsbuildOptions({ config: './esbuild.config.cjs' }, 22)).toThrow(EsbuildOptionsError);
    expect(() => toEsbuildOptions({ plugins: './plugins.cjs' }, 22)).toThrow(EsbuildOptionsError);
    expect(() => toEsbuildOptions({ outputFileExtension: '.mjs' }, 22)).toThrow(/only esm builds may output \.mjs/);
    expect(() => toEsbuildOptions({ format: 'esm', outputFileExtension: '.cjs' }, 22)).toThrow(EsbuildOptionsError);
  });
});
