import { describe, expect, it } from '@jest/globals';
import { ResourceInUseException } from '@aws-sdk/client-eks';
import type { JsonValue } from '../../../local/stepfunctions/asl.ts';
import { createStateMachineRunner } from '../../../local/stepfunctions/runner.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';
import { elapsedSeconds, field, loadStateMachine, secondsOf, stringField } from './state-machine-fixtures.ts';

class ThrottlingException extends Error {
  override readonly name = 'ThrottlingException';
}

class PreflightFailedError extends Error {
  override readonly name = 'PreflightFailedError';
}

/** Throws the error named at `failures[retryCount]`, then succeeds: the input scripts each attempt. */
function scriptedFailure(failures: JsonValue, retryCount: number): Error | undefined {
  const name = Array.isArray(failures) ? failures[retryCount] : undefined;
  if (name === 'ResourceInUseException') return new ResourceInUseException({ message: 'Cluster has an update in progress', $metadata: {} });
  if (name === 'ThrottlingException') return new ThrottlingException('Rate exceeded');
  if (typeof name === 'string') return Object.assign(new Error(`${name} happened`), { name });
  return undefined;
}

describe('Retry with backoff on virtual time', () => {
  const clock = new VirtualClock('2026-01-05T09:00:00Z');
  const runner = createStateMachineRunner({
    definition: loadStateMachine('retry-backoff'),
    clock,
    random: () => 0.25,
    tasks: {
      'eksops-dev-upgradeControlPlane': async (input, { retryCount }) => {
        const failure = scriptedFailure(field(input, 'failures'), retryCount);
        if (failure) throw failure;
        return { updateId: 'u-1', attempts: retryCount + 1 };
      },
    },
  });

  it('retries a named error with IntervalSeconds × BackoffRate^n, capped at MaxDelaySeconds, and counts each retry', async () => {
    const failures = ['ResourceInUseException', 'ResourceInUseException', 'ResourceInUseException'];
    const result = await runner.run({ failures });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ updateId: 'u-1', attempts: 4 });
    expect(secondsOf(result, 'StateRetried', 'UpdateClusterVersion')).toEqual([30, 90, 190]);
    expect(elapsedSeconds(result)).toBe(30 + 60 + 100);
    // One state entered, three retries.
    expect(result.stateTransitions).toBe(4);
  });

  it('fails with the error’s own name once MaxAttempts retries are used up', async () => {
    const result = await runner.run({ failures: Array.from({ length: 5 }, () => 'ResourceInUseException') });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ResourceInUseException');
    expect(JSON.parse(result.cause ?? '')).toEqual({ errorType: 'ResourceInUseException', errorMessage: 'Cluster has an update in progress' });
    expect(elapsedSeconds(result)).toBe(30 + 60 + 100 + 100);
    expect(result.stateTransitions).toBe(5);
  });

  it('keeps a count per retrier and pauses a random share of the delay with JitterStrategy FULL', async () => {
    const result = await runner.run({ failures: ['ResourceInUseException', 'ThrottlingException', 'ResourceInUseException', 'ThrottlingException'] });

    expect(result.status).toBe('SUCCEEDED');
    // 30 s, then 0.25 × 10 s, then 60 s, then 0.25 × 20 s.
    expect(elapsedSeconds(result)).toBe(30 + 2.5 + 60 + 5);
    expect(result.stateTransitions).toBe(5);
  });

  it('does not retry an error no retrier names', async () => {
    const result = await runner.run({ failures: ['AccessDeniedException'] });

    expect(result).toMatchObject({ status: 'FAILED', error: 'AccessDeniedException', stateTransitions: 1 });
    expect(elapsedSeconds(result)).toBe(0);
  });
});

describe('Catch', () => {
  const notified: JsonValue[] = [];
  const runner = createStateMachineRunner({
    definition: loadStateMachine('catch-preflight'),
    clock: new VirtualClock(),
    tasks: {
      'eksops-dev-upgradePreflight': async (input) => {
        const verdict = stringField(input, 'preflight');
        if (verdict === 'blocked') throw new PreflightFailedError('Node group ng-a runs kubelet 1.31, two minors behind');
        if (verdict === 'crash') throw new TypeError('Cannot read properties of undefined');
        return { findings: [] };
      },
      'eksops-dev-notify': async (input) => {
        notified.push(input);
        return { sent: true };
      },
    },
  });

  it('routes a named error to its catcher with Error and Lambda-style Cause at the ResultPath', async () => {
    const result = await runner.run({ cluster: 'prod', preflight: 'blocked' });

    expect(result).toMatchObject({ status: 'FAILED', error: 'UpgradeBlocked', cause: 'The preflight checks failed' });
    const failure = field(notified.at(-1), 'failure');
    expect(field(failure, 'Error')).toBe('PreflightFailedError');
    expect(JSON.parse(stringField(failure, 'Cause'))).toEqual({
      errorType: 'PreflightFailedError',
      errorMessage: 'Node group ng-a runs kubelet 1.31, two minors behind',
    });
    expect(result.history.some((event) => event.type === 'StateCaught' && event.stateName === 'Preflight')).toBe(true);
    // Preflight, ReportFailure, UpgradeBlocked
    expect(result.stateTransitions).toBe(3);
  });

  it('lets an error no catcher names fail the execution', async () => {
    const result = await runner.run({ cluster: 'prod', preflight: 'crash' });

    expect(result).toMatchObject({ status: 'FAILED', error: 'TypeError', stateTransitions: 1 });
  });

  it('passes through when nothing fails', async () => {
    const result = await runner.run({ cluster: 'prod', preflight: 'pass' });

    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { preflight: { findings: [] }, outcome: 'upgraded' }, stateTransitions: 2 });
  });
});
