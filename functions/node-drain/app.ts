import { asynchronousInvocation } from '../../shared/middleware/failure-queue.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { LifecycleActionEventSchema } from '../../shared/upgrade/drain/event.ts';
import { drainForLifecycleAction } from '../../shared/upgrade/drain/handle.ts';
import type { NodeDrainDeps } from '../../shared/upgrade/drain/lifecycle-action.ts';

export function makeHandler(deps: NodeDrainDeps) {
  return eksopsHandler({ schema: LifecycleActionEventSchema, correlationIdPath: 'id', ...asynchronousInvocation(deps) }, (event, context) => drainForLifecycleAction(event, deps, context));
}
