import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { beginUpgrade } from '../../shared/upgrade/begin.ts';
import { BeginEventSchema } from '../../shared/upgrade/run-state.ts';
import type { UpgradeDeps } from '../../shared/upgrade/clients.ts';

/** cluster-upgrade, first task: validate the request, take the lock, plan, tell Slack. */
export function makeHandler(deps: UpgradeDeps) {
  return eksopsHandler({ schema: BeginEventSchema }, (event) => beginUpgrade({ request: event.request, executionName: event.executionName }, deps));
}
