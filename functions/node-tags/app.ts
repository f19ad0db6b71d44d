import { asynchronousInvocation } from '../../shared/middleware/failure-queue.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { type NodeTagsDeps, reconcileNodeTags } from '../../shared/tags/reconcile-node-tags.ts';
import { TagsEventSchema } from '../../shared/tags/trigger-events.ts';

export type { NodeTagsDeps };

/** nodeTags (schedule and EventBridge, asynchronous): the event → reconcileNodeTags. */
export function makeHandler(deps: NodeTagsDeps) {
  return eksopsHandler({ schema: TagsEventSchema, correlationIdPath: 'id', ...asynchronousInvocation(deps) }, (event) => reconcileNodeTags(event, deps));
}
