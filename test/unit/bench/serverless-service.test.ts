import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { readServerlessService, ServerlessFileError, splitHandler } from '../../../bench/coldstart/serverless-service.ts';

const SERVICE = `
service: demo
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    NODE_OPTIONS: --enable-source-maps
    LEVEL: \${param:logLevel, 'INFO'}
    ACCOUNT: { Ref: AWS::AccountId }
    RETRIES: 3
custom:
  deployment: \${file(./deploy/config.cjs):deployment}
  esbuild:
    minify: true
    external: [a, '\${env:EXTRA}']
    banner:
      js: "import { createRequire } from 'module';"
    define:
      __EKSOPS_CONFIG__: \${self:custom.deployment.bundledConfig}
      __KEEP__: '"yes"'
functions:
  first:
    handler: functions/first/handler.handler
    environment:
      RETRIES: 5
      OWN: mine
  viaEntrypoint:
    handler: dist/second.main
    esbuildEntrypoint: functions/second/index.ts.main
  python:
    handler: functions/py/handler.handler
    runtime: python3.12
  skipped:
    handler: functions/skipped/handler.handler
    skipEsbuild: true
  image:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:latest
  variable:
    handler: \${self:custom.handlerPath}
`;

describe('readServerlessService', () => {
  it('lists the functions serverless-esbuild bundles, with their module and export', () => {
    const service = readServerlessService(SERVICE);

    expect(service.functions.map(({ name, handler, modulePath, exportName }) => ({ name, handler, modulePath, exportName }))).toEqual([
      { name: 'first', handler: 'functions/first/handler.handler', modulePath: 'functions/first/handler', exportName: 'handler' },
      { name: 'viaEntrypoint', handler: 'dist/second.main', modulePath: 'functions/second/index.ts', exportName: 'main' },
    ]);
  });

  it('reads the runtime and its Node major', () => {
    const service = readServerlessService(SERVICE);

    expect(service.runtime).toBe('nodejs22.x');
    expect(service.nodeMajor).toBe(22);
  });

  it('keeps the literal environment, overlaid per function', () => {
    const service = readServerlessService(SERVICE);

    expect(service.environment).toEqual({ NODE_OPTIONS: '--enable-source-maps', ACCOUNT: 'bench-account', RETRIES: '3' });
    expect(service.functions[0]?.environment).toEqual({ NODE_OPTIONS: '--enable-source-maps', ACCOUNT: 'bench-account', RETRIES: '5', OWN: 'mine' });
  });

  it('drops ${…} variables from custom.esbuild and says where they were', () => {
    const service = readServerlessService(SERVICE);

    expect(service.esbuild).toEqual({
      minify: true,
      external: ['a'],
      banner: { js: "import { createRequire } from 'module';" },
      define: { __KEEP__: '"yes"' },
    });
    expect(service.variables).toEqual(['provider.environment.LEVEL', 'external[1]', 'define.__EKSOPS_CONFIG__', 'functions.variable.handler']);
  });

  it('reads the project’s own serverless.yml', async () => {
    const root = new URL('../../../', import.meta.url);
    const service = readServerlessService(await readFile(new URL('serverless.yml', root), 'utf8'), 'serverless.yml', (file) => readFileSync(new URL(file, root), 'utf8'));

    expect(service.functions.find((fn) => fn.name === 'clusterOnboarding')).toMatchObject({
      modulePath: 'functions/cluster-onboarding/handler',
      exportName: 'handler',
    });
    // The configuration is defined per function by the plugin the bench reproduces, not by a shared define.
    expect(service.esbuild).toMatchObject({ format: 'esm', outputFileExtension: '.mjs', bundle: true, minify: true, plugins: 'deploy/esbuild-plugins.cjs' });
    expect(service.esbuild).not.toHaveProperty('define');
  });

  it('refuses a runtime that is not Node.js', () => {
    expect(() => readServerlessService('provider:\n  runtime: python3.12\n')).toThrow(ServerlessFileError);
  });

  it('refuses a handler without an export', () => {
    expect(() => readServerlessService('provider:\n  runtime: nodejs22.x\nfunctions:\n  f:\n    handler: functions/f/handler\n')).toThrow(
      /functions\.f\.handler "functions\/f\/handler" is not <file>\.<export>/,
    );
  });

  it('refuses YAML that does not parse', () => {
    expect(() => readServerlessService('provider: [\n', 'broken.yml')).toThrow(/broken\.yml is not valid YAML/);
  });
});

describe('splitHandler', () => {
  it.each([
    ['functions/x/handler.handler', { modulePath: 'functions/x/handler', exportName: 'handler' }],
    ['handler.main', { modulePath: 'handler', exportName: 'main' }],
    ['src/v1.2/handler', undefined],
    ['handler.', undefined],
    ['.handler', undefined],
  ])('%s', (handler, expected) => {
    expect(splitHandler(handler)).toEqual(expected);
  });
});

describe('CloudFormation references in the environment', () => {
  it('stand in for what Lambda would resolve, so the handler module loads', () => {
    const service = readServerlessService(
      'provider:\n  runtime: nodejs22.x\nfunctions:\n  f:\n    handler: functions/f/handler.handler\n    environment:\n      BUCKET: { Ref: FailureBucket }\n      PLAIN: x\n',
    );
    expect(service.functions[0]?.environment).toEqual({ BUCKET: 'bench-bucket', PLAIN: 'x' });
  });
});
