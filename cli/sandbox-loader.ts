import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SANDBOX_NEEDS_DEVELOPMENT_INSTALL = 'the sandbox needs the development install: run npm ci';

/** `--sandbox` without local/ or tsx beside the CLI (an install without devDependencies). */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';

  constructor(cause?: unknown) {
    super(SANDBOX_NEEDS_DEVELOPMENT_INSTALL, cause === undefined ? undefined : { cause });
  }
}

/**
 * Loads a module of local/commands/ only when a command runs with --sandbox, so the real-AWS path loads no
 * file of the sandbox nor any of its devDependencies. The specifier is computed on purpose: esbuild leaves
 * such an import out of dist/cli.mjs. cli/ and dist/ both sit one folder below the project, so the same
 * relative URL finds local/ from the sources (under tsx) and from the bundle; the bundle is plain JavaScript
 * and registers tsx (a devDependency) to run the sandbox's TypeScript.
 */
export async function loadSandboxModule<Module>(name: 'sandbox' | 'upgrade'): Promise<Module> {
  const url = new URL(`../local/commands/${name}.ts`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new SandboxUnavailableError();
  if (!import.meta.url.endsWith('.ts')) {
    const tsxApi = 'tsx/esm/api';
    try {
      const { register } = (await import(tsxApi)) as { register: () => unknown };
      register();
    } catch (error) {
      throw new SandboxUnavailableError(error);
    }
  }
  return (await import(url.href)) as Module;
}
