import type { FunctionDeps } from '../shared/runtime/deps.ts';
import { CAPABILITIES } from './capabilities/index.ts';
import type { LambdaHandler } from './lambda/runtime.ts';

export type SandboxDeps = FunctionDeps;

/**
 * Every function of serverless.yml, built with the sandbox's dependencies instead of production's: the same
 * `makeHandler` the deployed `handler.ts` calls. A test checks that this lists every function of the template.
 */
export const SANDBOX_FUNCTIONS: Record<string, (deps: SandboxDeps) => LambdaHandler> = Object.assign({}, ...CAPABILITIES.map((capability) => capability.functions));
