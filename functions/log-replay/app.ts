import type { Context } from 'aws-lambda';
import { destinationsFromConfig } from '../../shared/logs/destinations/from-config.ts';
import { failureStoreFromEnv } from '../../shared/logs/failure-bucket.ts';
import { ReplayEventSchema, replayOnTrigger } from '../../shared/logs/replay-trigger.ts';
import { asynchronousInvocation } from '../../shared/middleware/failure-queue.ts';
import { logger } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';

export type LogReplayDeps = Pick<FunctionDeps, 'config' | 'clients' | 'clock' | 'fetch' | 'env'>;

/** logReplay (schedule, asynchronous): built once per cold start, the failure store and the destinations → replayOnTrigger. */
export function makeHandler(deps: LogReplayDeps) {
  const store = failureStoreFromEnv(deps, 'replay needs');
  const destinations = destinationsFromConfig(deps.config.logs.destinations, { clients: deps.clients, fetch: deps.fetch });
  return eksopsHandler({ schema: ReplayEventSchema, ...asynchronousInvocation(deps) }, async (event, context: Context) => {
    const result = await replayOnTrigger(event, { replaySchedule: deps.config.logs.replaySchedule, store, destinations, clock: deps.clock, remainingMs: () => context.getRemainingTimeInMillis() });
    if ('outcome' in result) return result;
    logger.info('failure store replayed', { ...result });
    return result;
  });
}
