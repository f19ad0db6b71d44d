import { describe, expect, it } from '@jest/globals';
import type { Metafile } from 'esbuild';
import { PROJECT, packageOfInput, topPackages } from '../../../bench/coldstart/bundle-packages.ts';

describe('packageOfInput', () => {
  it.each([
    ['node_modules/zod/v4/core/schemas.js', 'zod'],
    ['node_modules/@aws-sdk/client-eks/dist-es/EKSClient.js', '@aws-sdk/client-eks'],
    ['node_modules/@aws-sdk/client-sts/node_modules/@smithy/core/dist-es/index.js', '@smithy/core'],
    ['shared/config/load.ts', PROJECT],
    ['functions/cluster-onboarding/handler.ts', PROJECT],
    ['../../tmp/eksops-bench-x/src/empty/handler.ts', PROJECT],
  ])('%s → %s', (input, name) => {
    expect(packageOfInput(input)).toBe(name);
  });
});

describe('topPackages', () => {
  const metafile: Metafile = {
    inputs: {},
    outputs: {
      'out/handler.mjs': {
        bytes: 1000,
        imports: [],
        exports: ['handler'],
        entryPoint: 'functions/f/handler.ts',
        inputs: {
          'node_modules/zod/a.js': { bytesInOutput: 300 },
          'node_modules/zod/b.js': { bytesInOutput: 200 },
          'node_modules/@smithy/core/x.js': { bytesInOutput: 400 },
          'shared/a.ts': { bytesInOutput: 50 },
          'functions/f/handler.ts': { bytesInOutput: 10 },
          'node_modules/tiny/index.js': { bytesInOutput: 1 },
        },
      },
      'out/handler.mjs.map': { bytes: 5000, imports: [], exports: [], inputs: {} },
    },
  };

  it('sums bytes per package, largest first, cut at the count', () => {
    expect(topPackages(metafile, 'out/handler.mjs', 3)).toEqual([
      { package: 'zod', bytes: 500 },
      { package: '@smithy/core', bytes: 400 },
      { package: PROJECT, bytes: 60 },
    ]);
  });

  it('is empty for an output the metafile does not have', () => {
    expect(topPackages(metafile, 'out/other.mjs')).toEqual([]);
  });
});
