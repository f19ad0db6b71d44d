import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { pollUpgrade } from '../../shared/upgrade/poll.ts';
import { RunStateSchema } from '../../shared/upgrade/run-state.ts';
import type { UpgradeDeps } from '../../shared/upgrade/clients.ts';

/** cluster-upgrade: check the running stage's EKS updates and size the next wait. */
export function makeHandler(deps: UpgradeDeps) {
  return eksopsHandler({ schema: RunStateSchema }, (run) => pollUpgrade(run, deps));
}
