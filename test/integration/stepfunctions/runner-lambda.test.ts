import { describe, expect, it } from '@jest/globals';
import { TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { JsonValue } from '../../../local/stepfunctions/asl.ts';
import { createStateMachineRunner } from '../../../local/stepfunctions/runner.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';
import { elapsedSeconds, field, loadStateMachine, Mailbox, stringField } from './state-machine-fixtures.ts';

describe('the lambda:invoke integration', () => {
  const payloads: JsonValue[] = [];
  const runner = createStateMachineRunner({
    definition: loadStateMachine('lambda-invoke'),
    clock: new VirtualClock(),
    tasks: {
      'arn:aws:lambda:eu-west-1:123456789012:function:eksops-dev-upgradePreflight': async (payload) => {
        payloads.push(payload);
        return { findings: [{ check: 'addon-compatibility', severity: 'required' }] };
      },
      'eksops-dev-ping': async (payload) => {
        payloads.push(payload);
        return 'pong';
      },
    },
  });

  it('invokes the function named by FunctionName with Payload, and returns the Invoke response', async () => {
    const result = await runner.run({ cluster: 'prod', targetVersion: '1.33' });

    expect(result.status).toBe('SUCCEEDED');
    expect(payloads).toEqual([{ cluster: 'prod', targetVersion: '1.33' }, {}]);
    expect(field(result.output, 'preflight')).toEqual({ findings: [{ check: 'addon-compatibility', severity: 'required' }], statusCode: 200 });
    expect(field(result.output, 'ping')).toEqual({
      ExecutedVersion: '$LATEST',
      Payload: 'pong',
      StatusCode: 200,
      SdkHttpMetadata: expect.objectContaining({ HttpStatusCode: 200 }),
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
  });
});

interface ApprovalRequest {
  readonly payload: JsonValue;
  readonly token: string | undefined;
}

describe('a lambda:invoke.waitForTaskToken task', () => {
  const clock = new VirtualClock('2026-01-05T09:00:00Z');
  const approvalRequests = new Mailbox<string, ApprovalRequest>();
  const runner = createStateMachineRunner({
    definition: loadStateMachine('wait-for-approval'),
    clock,
    tasks: {
      'eksops-dev-requestApproval': async (payload, { executionName, taskToken }) => {
        approvalRequests.deliver(executionName, { payload, token: taskToken });
        if (executionName === 'approves-itself') runner.sendTaskSuccess(stringField(payload, 'taskToken'), { approvedBy: 'policy' });
        return { StatusCode: 202 };
      },
    },
  });

  it('gives the function $$.Task.Token and completes with what sendTaskSuccess sends', async () => {
    const running = runner.run({ cluster: 'prod' }, { name: 'approved' });
    const request = await approvalRequests.receive('approved');
    expect(request.payload).toEqual({ cluster: 'prod', taskToken: request.token });

    clock.advance(5 * 60_000);
    runner.sendTaskSuccess(stringField(request.payload, 'taskToken'), { approvedBy: 'alice' });
    const result = await running;

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ cluster: 'prod', approval: { approvedBy: 'alice' } });
    expect(elapsedSeconds(result)).toBe(5 * 60);
    expect(() => runner.sendTaskSuccess(stringField(request.payload, 'taskToken'), {})).toThrow(TaskTimedOut);
  });

  it('fails with the error and cause sendTaskFailure sends, which Catch matches by name', async () => {
    const running = runner.run({ cluster: 'prod' }, { name: 'rejected' });
    const { payload } = await approvalRequests.receive('rejected');

    runner.sendTaskFailure(stringField(payload, 'taskToken'), 'ApprovalRejected', 'Change freeze until Monday');
    const result = await running;

    expect(result).toMatchObject({ status: 'FAILED', error: 'UpgradeRejected' });
    const rejectedInput = result.history.find((event) => event.type === 'StateEntered' && event.stateName === 'Rejected')?.input;
    expect(field(rejectedInput, 'rejection')).toEqual({ Error: 'ApprovalRejected', Cause: 'Change freeze until Monday' });
  });

  it('accepts an answer sent while the function still runs', async () => {
    const result = await runner.run({ cluster: 'prod' }, { name: 'approves-itself' });

    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approval: { approvedBy: 'policy' } } });
  });

  it('times out after HeartbeatSeconds of virtual time without a heartbeat', async () => {
    const running = runner.run({ cluster: 'prod' }, { name: 'silent' });
    const { payload } = await approvalRequests.receive('silent');

    clock.advance(1201 * 1000);
    expect(() => runner.sendTaskSuccess(stringField(payload, 'taskToken'), {})).toThrow(TaskTimedOut);

    expect(await running).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });

  it('stays alive with heartbeats, until TimeoutSeconds', async () => {
    const running = runner.run({ cluster: 'prod' }, { name: 'heartbeats' });
    const token = stringField((await approvalRequests.receive('heartbeats')).payload, 'taskToken');

    for (let beat = 0; beat < 3; beat += 1) {
      clock.advance(1000 * 1000);
      runner.sendTaskHeartbeat(token);
    }
    clock.advance(700 * 1000);
    expect(() => runner.sendTaskHeartbeat(token)).toThrow(TaskTimedOut);

    expect(await running).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('refuses a token it never issued', () => {
    expect(() => runner.sendTaskSuccess('not-a-token', {})).toThrow(TaskDoesNotExist);
  });
});

describe('a callback nobody answers', () => {
  it('times out when virtual time, carried by another branch, reaches its TimeoutSeconds', async () => {
    const tokens: string[] = [];
    const runner = createStateMachineRunner({
      definition: loadStateMachine('approval-or-deadline'),
      clock: new VirtualClock('2026-01-05T09:00:00Z'),
      tasks: {
        'eksops-dev-requestApproval': async (payload) => {
          tokens.push(stringField(payload, 'taskToken'));
          return null;
        },
      },
    });

    const result = await runner.run({});

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(elapsedSeconds(result)).toBe(3600);
    expect(tokens).toHaveLength(1);
    expect(() => runner.sendTaskSuccess(tokens[0] ?? '', {})).toThrow(TaskTimedOut);
  });
});

describe('TimeoutSecondsPath', () => {
  const clock = new VirtualClock('2026-01-05T09:00:00Z');
  const requests = new Mailbox<string, ApprovalRequest>();
  const runner = createStateMachineRunner({
    definition: loadStateMachine('approval-timeout-path'),
    clock,
    tasks: {
      'eksops-dev-requestApproval': async (payload, { executionName, taskToken }) => {
        requests.deliver(executionName, { payload, token: taskToken });
        return null;
      },
    },
  });

  it('times the task out after the number of seconds the path selects, and the handler never sees the path', async () => {
    const running = runner.run({ cluster: 'prod', approval: { timeoutSeconds: 900 } }, { name: 'short' });
    const request = await requests.receive('short');
    expect(request.payload).toEqual({ cluster: 'prod', taskToken: request.token });

    clock.advance(899 * 1000);
    await new Promise((resolve) => setImmediate(resolve));
    runner.sendTaskHeartbeat(stringField(request.payload, 'taskToken')); // still open one second before
    clock.advance(1000);
    const result = await running;

    expect(result).toMatchObject({ status: 'FAILED', error: 'NoAnswer' });
    expect(elapsedSeconds(result)).toBe(900);
  });

  it('gives each execution its own timeout', async () => {
    const running = runner.run({ cluster: 'prod', approval: { timeoutSeconds: 7200 } }, { name: 'long' });
    const token = stringField((await requests.receive('long')).payload, 'taskToken');
    clock.advance(3600 * 1000);
    runner.sendTaskSuccess(token, { approvedBy: 'alice' });

    expect(await running).toMatchObject({ status: 'SUCCEEDED', output: { answer: { approvedBy: 'alice' } } });
  });

  it('fails the state with States.Runtime when the path does not select a positive integer', async () => {
    const result = await runner.run({ cluster: 'prod', approval: { timeoutSeconds: 0 } }, { name: 'zero' });

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('$.approval.timeoutSeconds must select a positive integer');
  });
});
