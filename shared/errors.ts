import { isRetryableStatus } from './http/status.ts';

/**
 * Error classes with literal `name`s (they survive minification, and Step Functions Retry/Catch match on
 * them), classified by what the platform should do with the failure.
 */
export type FailureKind = 'invalid-input' | 'permanent' | 'not-found' | 'transient';

/** The event does not have the shape this handler accepts: retrying cannot help. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Validation, access denied, a conflict that needs a person: retrying cannot help. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** Throttling, 5xx, timeouts: worth retrying later (by Lambda, SQS or Step Functions). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

const TRANSIENT_NAMES = new Set([
  'TransientError',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServerException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);

const NOT_FOUND_NAMES = new Set(['ResourceNotFoundException', 'NotFoundException', 'ParameterNotFound', 'NoSuchKey', 'NoSuchBucket']);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $retryable?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function classifyFailure(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'permanent';
  const shape = error as ErrorShape;
  if (shape.name === 'InvalidEventError' || shape.name === 'ParseError') return 'invalid-input';
  if (typeof shape.name === 'string' && NOT_FOUND_NAMES.has(shape.name)) return 'not-found';
  if (typeof shape.name === 'string' && TRANSIENT_NAMES.has(shape.name)) return 'transient';
  if (shape.$retryable || shape.$fault === 'server') return 'transient';
  const status = shape.$metadata?.httpStatusCode;
  if (typeof status === 'number' && isRetryableStatus(status)) return 'transient';
  if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)) return 'transient';
  // fetch wraps socket errors: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  if (shape.cause !== undefined && shape.cause !== error) return classifyFailure(shape.cause) === 'transient' ? 'transient' : 'permanent';
  return 'permanent';
}

/** `JSON.stringify(error)` prints `{}`; this keeps what a reader needs. */
export function describeError(error: unknown): { name: string; message: string; kind: FailureKind } {
  if (error instanceof Error) return { name: error.name, message: error.message, kind: classifyFailure(error) };
  return { name: 'NonError', message: String(error), kind: 'permanent' };
}
