import { Logger } from '@aws-lambda-powertools/logger';
import { search } from '@aws-lambda-powertools/logger/correlationId';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance per process (Powertools reads POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE from the environment set in serverless.yml).
 * Per-invocation context (request id, correlation id, cold start) is added by the middleware stack.
 */
export const logger = new Logger({ serviceName: 'eksops', correlationIdSearchFn: search });

// Metrics' own warnings ("no application metrics") go through the logger, as structured JSON.
export const metrics = new Metrics({ namespace: 'eksops', serviceName: 'eksops', logger });
