import { describe, expect, it } from '@jest/globals';
import { ResourceInUseException, ResourceNotFoundException, ThrottlingException } from '@aws-sdk/client-eks';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import { classifyFailure, describeError, InvalidEventError, PermanentError, TransientError } from '../../../shared/errors.ts';

describe('failure classification', () => {
  it.each([
    ['an SDK throttle', new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }), 'transient'],
    ['EC2 RequestLimitExceeded', Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' }), 'transient'],
    ['a 503 without a known name', Object.assign(new Error('x'), { name: 'Weird', $metadata: { httpStatusCode: 503 } }), 'transient'],
    ['an SDK server fault', Object.assign(new Error('x'), { name: 'Other', $fault: 'server' }), 'transient'],
    ['a reset socket', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    ['fetch failed on a refused connection', new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }), 'transient'],
    ['a timeout', new DOMException('The operation timed out.', 'TimeoutError'), 'transient'],
    ['not found', new ResourceNotFoundException({ message: 'No cluster', $metadata: {} }), 'not-found'],
    ['SSM not found', new ParameterNotFound({ message: 'no', $metadata: {} }), 'not-found'],
    ['an invalid event', new InvalidEventError('invalid event: detail.x'), 'invalid-input'],
    ['a conflict (needs a person)', new ResourceInUseException({ message: 'update in progress', $metadata: {} }), 'permanent'],
    ['access denied', Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }), 'permanent'],
    ['our permanent error', new PermanentError('conflict'), 'permanent'],
    ['our transient error', new TransientError('later'), 'transient'],
    ['a string thrown', 'boom', 'permanent'],
  ])('%s is %s', (_what, error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });

  it('describes errors in a way that survives JSON', () => {
    expect(JSON.parse(JSON.stringify(describeError(new TransientError('slow down'))))).toEqual({ name: 'TransientError', message: 'slow down', kind: 'transient' });
  });

  it('keeps literal names (Step Functions matches on them, minifiers rename classes)', () => {
    expect([new InvalidEventError('a').name, new PermanentError('b').name, new TransientError('c').name]).toEqual(['InvalidEventError', 'PermanentError', 'TransientError']);
  });
});
