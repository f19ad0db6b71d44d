import type { SandboxAccount } from '../account/account.ts';
import type { SandboxEks } from '../account/services/eks.ts';
import type { SandboxEksNodegroups } from '../account/services/eks-nodegroups.ts';
import type { SandboxDeps } from '../functions.ts';
import type { LambdaHandler } from '../lambda/runtime.ts';
import type { Sandbox } from '../sandbox.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { VirtualClock } from '../time/virtual-clock.ts';

export interface CoreServices {
  account: SandboxAccount;
  clock: VirtualClock;
  eks: SandboxEks;
  eksNodegroups: SandboxEksNodegroups;
}

/**
 * What a capability brings to the sandbox: each function of its serverless/<capability>.functions.yml, built
 * with the sandbox's dependencies by the same `makeHandler` its deployed handler.ts calls, its scenarios, and
 * the AWS services it needs in the in-memory account.
 */
export interface SandboxCapability {
  functions: Record<string, (deps: SandboxDeps) => LambdaHandler>;
  scenarios: readonly Scenario[];
  /** Registers the services this capability adds to the in-memory account (`account.register(...)`). */
  services?: (core: CoreServices) => void;
  /** Connects those services to the rest of the sandbox once it runs (e.g. log subscriptions → Lambda, the
   * tables of the template); the sandbox starts once every capability's connect has resolved. */
  connect?: (sandbox: Sandbox) => void | Promise<void>;
}
