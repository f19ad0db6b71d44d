import { makeHandler as clusterOnboarding } from '../../functions/cluster-onboarding/app.ts';
import { malformedEvent } from '../scenarios/malformed-event.ts';
import { newCluster } from '../scenarios/new-cluster.ts';
import type { SandboxCapability } from './capability.ts';

/** New-cluster guard in the sandbox. */
export const ACCESS: SandboxCapability = {
  functions: { clusterOnboarding: (deps) => clusterOnboarding(deps) },
  scenarios: [newCluster, malformedEvent],
};
