import { logsDelivery } from './logs-delivery.ts';
import { logsNewCluster } from './logs-new-cluster.ts';
import { logsSinkDown } from './logs-sink-down.ts';
import { malformedEvent } from './malformed-event.ts';
import { newCluster } from './new-cluster.ts';
import type { Scenario } from './scenario.ts';
import { tagsDriftRepaired, tagsNewInstance, tagsSecondRunQuiet } from './tags-fleet-drift.ts';
import { UPGRADE_SCENARIOS } from './upgrade-scenarios.ts';

/** Every scenario `npm start` runs, in order: each capability's, in the order of the sandbox's plugins. */
export const SCENARIOS: readonly Scenario[] = [newCluster, malformedEvent, logsNewCluster, logsDelivery, logsSinkDown, tagsDriftRepaired, tagsNewInstance, tagsSecondRunQuiet, ...UPGRADE_SCENARIOS];
