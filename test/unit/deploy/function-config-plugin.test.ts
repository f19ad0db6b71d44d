import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { build, type Plugin } from 'esbuild';
import { functionConfigs } from '../../../deploy/deployment.ts';
import { parseConfig } from '../../../shared/config/parse.ts';
import { fullConfig } from '../../integration/deployment/full-config.ts';
import { PROJECT_ROOT } from '../../../local/template/compiled-template.ts';

const require = createRequire(import.meta.url);
const pluginsFor = require('../../../deploy/esbuild-plugins.cjs') as (serverless: unknown) => Plugin[];

/** What serverless-esbuild hands the plugin file: the Serverless instance, its variables resolved. */
function serverless(configs: Record<string, string>) {
  return {
    serviceDir: PROJECT_ROOT,
    service: {
      custom: { deployment: { functionConfigs: configs } },
      functions: { nodeTags: { handler: 'functions/node-tags/handler.handler' }, logForwarder: { handler: 'functions/log-forwarder/handler.handler' } },
    },
  };
}

async function bundle(entry: string, configs: Record<string, string>): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'silent',
    plugins: pluginsFor(serverless(configs)),
  });
  return result.outputFiles.map((file) => file.text).join('\n');
}

describe('the configuration bundled into each function (deploy/esbuild-plugins.cjs)', () => {
  const config = fullConfig();
  // Names no source file contains, so only a baked configuration can put them in a bundle.
  if (config.notify.slack) config.notify.slack.secret = { ssmParameter: '/bundle-check/slack-8f3a' };
  const configs = functionConfigs(config);

  it('bakes into a function only the sections it reads', async () => {
    const nodeTags = await bundle('functions/node-tags/handler.ts', configs);
    const forwarder = await bundle('functions/log-forwarder/handler.ts', configs);
    // The full configuration names a Splunk destination and an approvals signing secret.
    expect(nodeTags).not.toContain('splunk.example.com');
    expect(nodeTags).not.toContain('eksops/slack-signing');
    expect(nodeTags).toContain('/bundle-check/slack-8f3a');
    expect(forwarder).toContain('splunk.example.com');
    expect(forwarder).not.toContain('/bundle-check/slack-8f3a');
  }, 60_000);

  it('bakes each configuration already parsed: parsing it again changes nothing (a cold start reads it as is)', () => {
    for (const [name, baked] of Object.entries(configs)) {
      const data = JSON.parse(baked) as unknown;
      expect({ name, config: parseConfig(data, name) }).toEqual({ name, config: data });
    }
    // Defaults are filled in, even of the sections a function does not read.
    expect(JSON.parse(configs.nodeTags ?? '{}')).toMatchObject({ dryRun: false, upgrade: { defaults: { hopsPerWindow: 1, bakeHours: 24 } } });
  });

  it('refuses to build a function it has no projection for', async () => {
    const { nodeTags: _dropped, ...others } = configs;
    await expect(bundle(path.join('functions', 'node-tags', 'handler.ts'), others)).rejects.toThrow(/no configuration projection for functions\/node-tags\/handler\.ts/);
  }, 60_000);
});
