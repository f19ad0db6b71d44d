import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { advanceUpgrade } from '../../shared/upgrade/advance.ts';
import { RunStateSchema } from '../../shared/upgrade/run-state.ts';
import type { UpgradeDeps } from '../../shared/upgrade/clients.ts';

/** cluster-upgrade: recompute the next stage from the live cluster, start it if it fits in the window, or defer. */
export function makeHandler(deps: UpgradeDeps) {
  return eksopsHandler({ schema: RunStateSchema }, (run) => advanceUpgrade(run, deps));
}
