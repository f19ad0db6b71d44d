import type { Context } from 'aws-lambda';
import { logger } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { LifecycleActionEventSchema } from '../../shared/upgrade/drain/event.ts';
import { handleLifecycleAction, type NodeDrainDeps, type NodeDrainOutcome } from '../../shared/upgrade/drain/lifecycle-action.ts';
import { drainLogFields, drainNotification } from '../../shared/upgrade/drain/report.ts';

export type { NodeDrainDeps };

/** nodeDrain: an instance in Terminating:Wait under eksops's hook → cordon and drain its node → CONTINUE → report. */
export async function drainForLifecycleAction(event: Parameters<typeof handleLifecycleAction>[0], deps: NodeDrainDeps, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<NodeDrainOutcome> {
  const outcome = await handleLifecycleAction(event, deps, context.getRemainingTimeInMillis());
  const fields = drainLogFields(outcome);
  if (outcome.status === 'drained') logger.info('node drained', fields);
  else logger.warn('node not drained', fields);
  const notification = drainNotification(outcome);
  if (notification) await deps.notifier.send(notification);
  return outcome;
}

export function makeHandler(deps: NodeDrainDeps) {
  return eksopsHandler({ schema: LifecycleActionEventSchema, correlationIdPath: 'id' }, (event, context) => drainForLifecycleAction(event, deps, context));
}
