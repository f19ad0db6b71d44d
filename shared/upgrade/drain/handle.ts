import type { Context } from 'aws-lambda';
import { logger } from '../../middleware/observability.ts';
import { handleLifecycleAction, type NodeDrainDeps, type NodeDrainOutcome } from './lifecycle-action.ts';
import { drainLogFields, drainNotification } from './report.ts';

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
