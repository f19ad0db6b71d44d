import { type LogSubscriptionsDeps, reconcileLogSubscriptions } from '../../shared/logs/subscriptions/reconcile.ts';
import { SubscriptionTriggerSchema } from '../../shared/logs/subscriptions/trigger.ts';
import { asynchronousInvocation } from '../../shared/middleware/failure-queue.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';

export type { LogSubscriptionsDeps };

/** logSubscriptions (EventBridge and the hourly schedule, asynchronous): the event → reconcileLogSubscriptions. */
export function makeHandler(deps: LogSubscriptionsDeps) {
  return eksopsHandler({ schema: SubscriptionTriggerSchema, correlationIdPath: 'id', ...asynchronousInvocation(deps) }, (event) => reconcileLogSubscriptions(event, deps));
}
