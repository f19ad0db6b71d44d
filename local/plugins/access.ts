import { makeHandler as clusterOnboarding } from '../../functions/cluster-onboarding/app.ts';
import type { SandboxPlugin } from '../sandbox-core.ts';

/** New-cluster guard in the sandbox. */
export const ACCESS: SandboxPlugin = {
  functions: { clusterOnboarding: (deps) => clusterOnboarding(deps) },
};
