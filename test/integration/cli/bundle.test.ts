import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { buildCli } from '../../../cli/build.js';
import { SANDBOX_NEEDS_DEVELOPMENT_INSTALL } from '../../../cli/sandbox-loader.ts';

// What this proves, and what it does not: the bundle (built as `npm run build:cli` builds dist/cli.mjs) holds
// no file of local/ and imports nothing but Node's modules and production dependencies; and it runs from a
// folder outside the project whose node_modules holds only the production dependencies (symlinks to the
// project's), with NODE_PATH empty and no AWS credentials. The production packages' own dependencies
// resolve from their real folders, which npm fills for `npm ci --omit=dev` as well (a production package
// never depends on a devDependency); running `npm ci --omit=dev` itself is not repeated here, it would need
// the registry or a full cache and take minutes.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const run = promisify(execFile);

let install: string;
let metafile: Metafile;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

async function eksops(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: install,
    NODE_PATH: '',
    AWS_CONFIG_FILE: path.join(install, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(install, 'no-aws-credentials'),
    // No instance metadata service here; without this the credential chain waits for it to time out.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'eu-west-1',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(install, 'dist', 'cli.mjs'), ...argv], { cwd: install, env, timeout: 60_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

beforeAll(async () => {
  install = mkdtempSync(path.join(tmpdir(), 'eksops-cli-'));
  metafile = await buildCli({ outfile: path.join(install, 'dist', 'cli.mjs') });
  copyFileSync(path.join(ROOT, 'package.json'), path.join(install, 'package.json'));
  copyFileSync(path.join(ROOT, 'eksops.config.example.yml'), path.join(install, 'eksops.config.example.yml'));
  for (const name of Object.keys(manifest.dependencies)) {
    const link = path.join(install, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', name), link, 'dir');
  }
}, 60_000);

describe('the built CLI (dist/cli.mjs)', () => {
  it('bundles no file of local/ and no package', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('local/') || input.includes('node_modules/'))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(['cli/run.ts', 'cli/commands/upgrade.ts']));
  });

  it('imports only Node\'s modules and production dependencies', () => {
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
    const builtins = new Set(builtinModules);
    const packages = [...new Set(imports.filter((specifier) => !specifier.startsWith('node:') && !builtins.has(specifier)).map(packageName))];
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });

  it('prints its help from an install holding only the production dependencies', async () => {
    const { code, out } = await eksops('--help');
    expect(code).toBe(0);
    expect(out).toContain('usage: eksops <command>');
    expect(out).toContain('upgrade plan');
  });

  it('validates a configuration there (yaml and zod load from production node_modules)', async () => {
    expect(await eksops('config', 'validate', 'eksops.config.example.yml')).toMatchObject({ code: 0 });
  });

  it('fails a real-AWS command for lack of credentials with a reason, not a stack trace', async () => {
    const { code, err } = await eksops('upgrade', 'plan', '--cluster', 'prod-eu');
    expect(code).toBe(1);
    expect(err).toContain('eksops upgrade plan: no AWS credentials');
    expect(err).not.toMatch(/^\s+at /m);
  });

  it('says what --sandbox needs when local/ is absent', async () => {
    const { code, err } = await eksops('upgrade', 'plan', '--cluster', 'prod-eu', '--sandbox');
    expect(code).toBe(2);
    expect(err).toContain(SANDBOX_NEEDS_DEVELOPMENT_INSTALL);
    expect(err).not.toMatch(/^\s+at /m);
  });
});
