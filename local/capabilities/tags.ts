import type { SandboxCapability } from './capability.ts';

/** tags in the sandbox: its functions (built with the sandbox's dependencies) and its scenarios. */
export const TAGS: SandboxCapability = {
  functions: {},
  scenarios: [],
};
