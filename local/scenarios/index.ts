import { CAPABILITIES } from '../capabilities/index.ts';
import type { Scenario } from './scenario.ts';

/** Every scenario `npm start` runs, in order: each capability's, in the order of CAPABILITIES. */
export const SCENARIOS: readonly Scenario[] = CAPABILITIES.flatMap((capability) => capability.scenarios);
