import type { SandboxCapability } from './capability.ts';

/** logs in the sandbox: its functions (built with the sandbox's dependencies) and its scenarios. */
export const LOGS: SandboxCapability = {
  functions: {},
  scenarios: [],
};
