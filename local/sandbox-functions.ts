import type { LambdaHandler } from './lambda/runtime.ts';
import { SANDBOX_PLUGINS } from './plugins/index.ts';
import type { SandboxDeps } from './sandbox-core.ts';

/**
 * Every function of serverless.yml, built with the sandbox's dependencies instead of production's: the same
 * `makeHandler` the deployed `handler.ts` calls. A test checks that this lists every function of the template.
 */
export const SANDBOX_FUNCTIONS: Record<string, (deps: SandboxDeps) => LambdaHandler> = Object.assign({}, ...SANDBOX_PLUGINS.map((plugin) => plugin.functions));
