// Builds the `eksops` command into one file, dist/cli.mjs (package.json `bin`), that runs on an install without
// devDependencies: the production dependencies stay imports (node_modules holds them), and the build refuses
// any import of a devDependency or of local/ (the sandbox is loaded at run time behind --sandbox only, see
// cli/sandbox-loader.ts). Plain JavaScript so that `npm run build:cli` and `prepare` need no TypeScript runner.
//
//   node cli/build.js               build dist/cli.mjs
//   node cli/build.js --if-esbuild  the same, but skip quietly where esbuild is absent (npm ci --omit=dev)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = path.join(ROOT, 'dist', 'cli.mjs');

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** esbuild plugin: the bundle may import Node's modules and production dependencies, nothing of local/. */
function productionOnly(manifest) {
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  return {
    name: 'eksops-cli-production-only',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('.') || path.isAbsolute(args.path)) {
          const resolved = path.resolve(args.resolveDir, args.path);
          if (path.relative(ROOT, resolved).split(path.sep)[0] === 'local') return { errors: [{ text: `the CLI bundle must not include the sandbox (${args.path} from ${path.relative(ROOT, args.importer)})` }] };
          return undefined;
        }
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = packageName(args.path);
        if (!dependencies.has(name)) return { errors: [{ text: `the CLI bundle may import production dependencies only; ${name} (from ${path.relative(ROOT, args.importer)}) is not one` }] };
        return { path: args.path, external: true };
      });
    },
  };
}

/** Builds the CLI; returns esbuild's metafile (inputs and the bundle's imports). */
export async function buildCli({ outfile = CLI_BUNDLE } = {}) {
  const { build } = await import('esbuild');
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['cli/run.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    metafile: true,
    logLevel: 'warning',
    // Some SDK and Powertools parts still `require` Node's modules.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __eksopsCreateRequire } from 'node:module';\nconst require = __eksopsCreateRequire(import.meta.url);" },
    plugins: [productionOnly(manifest)],
  });
  return result.metafile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await import('esbuild');
  } catch (error) {
    if (process.argv.includes('--if-esbuild')) {
      console.log('eksops: esbuild is not installed (no devDependencies); dist/cli.mjs not rebuilt');
      process.exit(0);
    }
    throw error;
  }
  await buildCli();
  console.log(`eksops: built ${path.relative(ROOT, CLI_BUNDLE)}`);
}
