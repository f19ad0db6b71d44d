import type { SandboxCapability } from './capability.ts';

/** upgrade in the sandbox: its functions (built with the sandbox's dependencies) and its scenarios. */
export const UPGRADE: SandboxCapability = {
  functions: {},
  scenarios: [],
};
