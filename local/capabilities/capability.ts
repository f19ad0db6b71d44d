import type { LambdaHandler } from '../lambda/runtime.ts';
import type { SandboxDeps } from '../functions.ts';
import type { Scenario } from '../scenarios/scenario.ts';

/**
 * What a capability brings to the sandbox: each function of its serverless/<capability>.functions.yml, built
 * with the sandbox's dependencies by the same `makeHandler` its deployed handler.ts calls, and its scenarios.
 */
export interface SandboxCapability {
  functions: Record<string, (deps: SandboxDeps) => LambdaHandler>;
  scenarios: readonly Scenario[];
}
