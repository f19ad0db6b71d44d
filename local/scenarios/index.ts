import { malformedEvent } from './malformed-event.ts';
import { newCluster } from './new-cluster.ts';
import type { Scenario } from './scenario.ts';

/** Every scenario `npm start` runs, in order. Each capability adds its own. */
export const SCENARIOS: readonly Scenario[] = [newCluster, malformedEvent];
