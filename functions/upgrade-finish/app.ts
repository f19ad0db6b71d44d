import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { finishUpgrade } from '../../shared/upgrade/finish.ts';
import { FinishEventSchema } from '../../shared/upgrade/run-state.ts';
import type { UpgradeDeps } from '../../shared/upgrade/clients.ts';

/** cluster-upgrade, last task whatever happened: release the lock and report the outcome. */
export function makeHandler(deps: UpgradeDeps) {
  return eksopsHandler({ schema: FinishEventSchema }, (event) => finishUpgrade(event, deps));
}
