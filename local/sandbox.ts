import { createInMemoryAws, type InMemoryAwsOptions } from './account/in-memory-aws.ts';
import { SANDBOX_PLUGINS } from './plugins/index.ts';
import { type Sandbox, type SandboxAws, type SandboxOptions, startSandboxWith } from './sandbox-core.ts';

export { SANDBOX_CONFIG_FILE, type Sandbox, type SandboxAws, type SandboxDeps, type SandboxOptions } from './sandbox-core.ts';

/**
 * The eksops sandbox: the sandbox core (local/sandbox-core.ts) given every capability's plugin. What
 * `npm start`, the scenarios and the integration tests run.
 */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandboxWith(SANDBOX_PLUGINS, options);
}

/** The in-memory account with every capability's services, without the rest of the sandbox. */
export function createSandboxAws(options: Omit<InMemoryAwsOptions, 'services'> = {}): SandboxAws {
  return createInMemoryAws({ ...options, services: SANDBOX_PLUGINS.flatMap((plugin) => (plugin.services ? [plugin.services] : [])) });
}
