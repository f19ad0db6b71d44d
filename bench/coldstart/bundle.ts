import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildFailure, build, formatMessages, type Message } from 'esbuild';
import { type PackageBytes, topPackages } from './bundle-packages.ts';
import type { FunctionBuildOptions } from './esbuild-options.ts';

export interface Bundle {
  /** Absolute path of the .mjs. */
  file: string;
  bytes: number;
  /** The .mjs gzipped: roughly what it weighs in Lambda's zip. */
  gzipBytes: number;
  /** The source map beside it (packaged too; read at cold start under --enable-source-maps). */
  mapBytes: number;
  topPackages: PackageBytes[];
  /** Every esbuild input that put bytes into the .mjs (metafile paths, relative to the service directory) → those bytes. */
  inputs: Record<string, number>;
  warnings: number;
}

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

/**
 * The file serverless-esbuild bundles for a handler module: `<modulePath><ext>` or `<modulePath>/index<ext>`,
 * extensions in order, relative to the service directory (helper.js `extractFunctionEntries`).
 */
export function resolveEntry(serviceDir: string, modulePath: string, extensions: readonly string[]): string {
  for (const extension of extensions) {
    for (const candidate of [`${modulePath}${extension}`, path.join(modulePath, `index${extension}`)]) {
      if (existsSync(path.join(serviceDir, candidate))) return path.relative(serviceDir, path.join(serviceDir, candidate));
    }
  }
  throw new BundleError(`no file for ${modulePath} (tried ${extensions.join(', ')})`);
}

async function describeFailure(error: unknown): Promise<string> {
  const errors = (error as Partial<BuildFailure>).errors;
  if (!Array.isArray(errors) || errors.length === 0) return error instanceof Error ? error.message : String(error);
  const formatted = await formatMessages(errors as Message[], { kind: 'error', color: false });
  return formatted.join('').trimEnd();
}

/**
 * Bundles `entry` (relative to `serviceDir`, or absolute) into `outdir` as serverless-esbuild does
 * (bundle.js: `{ ...options, entryPoints: [entry], outdir }`, run from the service directory). The metafile
 * is extra output only; it does not change the bundle.
 */
export async function bundleEntry(serviceDir: string, entry: string, outdir: string, build_: FunctionBuildOptions): Promise<Bundle> {
  let result;
  try {
    result = await build({
      ...build_.options,
      entryPoints: [entry],
      outdir,
      absWorkingDir: serviceDir,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (error) {
    throw new BundleError(await describeFailure(error), { cause: error });
  }
  const file = path.join(outdir, `${path.basename(entry, path.extname(entry))}${build_.outputExtension}`);
  const output = Object.keys(result.metafile.outputs).find((key) => path.resolve(serviceDir, key) === file);
  if (output === undefined) throw new BundleError(`esbuild wrote no ${file}`);
  const code = await readFile(file);
  const map = await stat(`${file}.map`).catch(() => undefined);
  return {
    file,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    mapBytes: map?.size ?? 0,
    topPackages: topPackages(result.metafile, output),
    inputs: Object.fromEntries(Object.entries(result.metafile.outputs[output]?.inputs ?? {}).map(([input, { bytesInOutput }]) => [input, bytesInOutput])),
    warnings: result.warnings.length,
  };
}
