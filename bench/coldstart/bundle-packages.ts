import type { Metafile } from 'esbuild';

/** What the project's own files (shared/, functions/) are counted as. */
export const PROJECT = '(project)';

/**
 * The package an esbuild input belongs to: the last `node_modules/<name>` or `node_modules/@scope/name` in
 * its path (nested copies count as the package they are), else the project itself.
 */
export function packageOfInput(inputPath: string): string {
  const parts = inputPath.split(/[\\/]/);
  const last = parts.lastIndexOf('node_modules');
  if (last === -1) return PROJECT;
  const name = parts[last + 1];
  if (name === undefined || name === '') return PROJECT;
  if (!name.startsWith('@')) return name;
  const scoped = parts[last + 2];
  return scoped === undefined ? name : `${name}/${scoped}`;
}

export interface PackageBytes {
  package: string;
  bytes: number;
}

/** The `count` packages that put the most bytes into `output` (a key of `metafile.outputs`), largest first. */
export function topPackages(metafile: Metafile, output: string, count = 5): PackageBytes[] {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  const bytesByPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const name = packageOfInput(input);
    bytesByPackage.set(name, (bytesByPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytesByPackage]
    .map(([name, bytes]) => ({ package: name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.package < b.package ? -1 : 1))
    .slice(0, count);
}
