import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BundleError, bundleEntry, resolveEntry } from '../../../bench/coldstart/bundle.ts';
import { toEsbuildOptions } from '../../../bench/coldstart/esbuild-options.ts';
import { ImportFailedError, ImportTimeoutError, measureImport } from '../../../bench/coldstart/import-time.ts';

// What the bench does when a bundle or an import goes wrong. No timing is asserted: only that the failure is
// reported, named and bounded.

let dir: string;
const buildOptions = toEsbuildOptions({ format: 'esm', outputFileExtension: '.mjs', sourcemap: true }, 22);
const run = { nodePath: process.execPath, environment: {}, timeoutMs: 20_000 };

async function module(name: string, code: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, code);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'eksops-bench-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bundleEntry', () => {
  it('reports esbuild’s error with its location', async () => {
    const entry = await module('broken.ts', "import { missing } from './nowhere.ts';\nexport const handler = missing;\n");

    const bundling = bundleEntry(dir, entry, path.join(dir, 'out-broken'), buildOptions);

    await expect(bundling).rejects.toThrow(BundleError);
    await expect(bundling).rejects.toThrow(/ERROR\] Could not resolve "\.\/nowhere\.ts"[\s\S]*broken\.ts:1:24/);
  });

  it('measures the bundle it wrote', async () => {
    const entry = await module('empty.ts', 'export const handler = async () => ({});\n');

    const bundle = await bundleEntry(dir, entry, path.join(dir, 'out-empty'), buildOptions);

    expect(bundle.file).toBe(path.join(dir, 'out-empty', 'empty.mjs'));
    expect(bundle.bytes).toBeGreaterThan(0);
    expect(bundle.mapBytes).toBeGreaterThan(0);
    expect(bundle.topPackages).toEqual([{ package: '(project)', bytes: expect.any(Number) }]);
  });
});

describe('resolveEntry', () => {
  it('names the module it could not find', () => {
    expect(() => resolveEntry(dir, 'functions/none/handler', ['.ts', '.js'])).toThrow('no file for functions/none/handler (tried .ts, .js)');
  });
});

describe('measureImport', () => {
  it('returns the import time of a module exporting the handler', async () => {
    const file = await module('ok.mjs', 'export const handler = async () => ({});\n');

    await expect(measureImport(file, 'handler', run)).resolves.toEqual(expect.any(Number));
  });

  it('kills an import that hangs and says so', async () => {
    const file = await module('hang.mjs', 'setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport const handler = () => {};\n');

    await expect(measureImport(file, 'handler', { ...run, timeoutMs: 300 })).rejects.toThrow(
      new ImportTimeoutError('the import did not finish within 0.3 s (killed)'),
    );
  });

  it('reports the error an import throws', async () => {
    const file = await module('throws.mjs', "throw new Error('no configuration in this bundle');\n");

    const importing = measureImport(file, 'handler', run);

    await expect(importing).rejects.toThrow(ImportFailedError);
    await expect(importing).rejects.toThrow(/exit code 1[\s\S]*no configuration in this bundle/);
  });

  it('fails a bundle without the export Lambda calls', async () => {
    const file = await module('noexport.mjs', 'export const main = () => {};\n');

    await expect(measureImport(file, 'handler', run)).rejects.toThrow(/exit code 3[\s\S]*exports no function named handler/);
  });
});
