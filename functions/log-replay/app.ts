import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { destinationsFromConfig } from '../../shared/logs/destinations/from-config.ts';
import { FailureStore } from '../../shared/logs/failure-store.ts';
import { type ReplaySummary, replayFailures } from '../../shared/logs/replay.ts';
import { logger } from '../../shared/middleware/observability.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import type { FunctionDeps } from '../../shared/runtime/deps.ts';
import { MissingFailureBucketError } from '../log-forwarder/app.ts';

export type LogReplayDeps = Pick<FunctionDeps, 'config' | 'clients' | 'clock' | 'fetch' | 'env'>;

/** The schedule's event, or a manual invocation naming one destination. */
const ReplayEventSchema = z.looseObject({ destination: z.string().optional() });

/**
 * Resends what the failure store holds, on the schedule `logs.replaySchedule` names (opt-in: without it the
 * function does nothing). Objects are deleted only once everything in them is delivered.
 */
export function makeHandler(deps: LogReplayDeps) {
  const bucket = deps.env.EKSOPS_LOGS_FAILURE_BUCKET;
  if (!bucket) throw new MissingFailureBucketError('EKSOPS_LOGS_FAILURE_BUCKET is not set: replay needs the failure store');
  const store = new FailureStore(deps.clients.client(S3Client), bucket);
  const destinations = destinationsFromConfig(deps.config.logs.destinations, { clients: deps.clients, fetch: deps.fetch });
  return eksopsHandler({ schema: ReplayEventSchema }, async (event, context: Context): Promise<ReplaySummary | { outcome: 'disabled' }> => {
    if (!deps.config.logs.replaySchedule && !event.destination) return { outcome: 'disabled' };
    const summary = await replayFailures(store, destinations, {
      clock: deps.clock,
      remainingMs: () => context.getRemainingTimeInMillis(),
      ...(event.destination ? { destination: event.destination } : {}),
    });
    logger.info('failure store replayed', { ...summary });
    return summary;
  });
}
