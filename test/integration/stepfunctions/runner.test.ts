import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { createStateMachineRunner } from '../../../local/stepfunctions/runner.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';
import { elapsedSeconds, loadStateMachine, numberField, secondsOf, stringField } from './state-machine-fixtures.ts';

const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function';

describe('a poll loop (Task → Choice → Wait 600 s → Task) on virtual time', () => {
  const clock = new VirtualClock('2026-01-05T09:00:00Z');
  const afterPoll = new Map<string, (polls: number) => void>();
  const pollsByExecution = new Map<string, number>();
  const runner = createStateMachineRunner({
    definition: { ...loadStateMachine('poll-update'), TimeoutSeconds: 8 * 3600 },
    clock,
    tasks: {
      [`${LAMBDA}:eksops-dev-upgradeStart`]: async (input) => ({ startedAt: clock.now().toISOString(), minutes: numberField(input, 'updateMinutes') }),
      'eksops-dev-upgradeStatus': async (update, { executionName }) => {
        const polls = (pollsByExecution.get(executionName) ?? 0) + 1;
        pollsByExecution.set(executionName, polls);
        afterPoll.get(executionName)?.(polls);
        const runningMs = clock.now().getTime() - Date.parse(stringField(update, 'startedAt'));
        const done = runningMs >= numberField(update, 'minutes') * 60_000;
        return { startedAt: stringField(update, 'startedAt'), minutes: numberField(update, 'minutes'), status: done ? 'Successful' : 'InProgress' };
      },
    },
  });

  it('polls until the update finishes, every 10 virtual minutes, with the exact number of state transitions', async () => {
    const result = await runner.run({ cluster: 'prod', updateMinutes: 45 }, { name: 'forty-five-minutes' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ cluster: 'prod', update: { status: 'Successful' } });
    expect(elapsedSeconds(result)).toBe(50 * 60);
    expect(secondsOf(result, 'StateEntered', 'DescribeUpdate')).toEqual([0, 600, 1200, 1800, 2400, 3000]);
    // StartUpdate + 6 × (DescribeUpdate + IsUpdateDone) + 5 × WaitBeforeNextPoll + UpdateDone
    expect(result.stateTransitions).toBe(19);
    expect(result.history.find((event) => event.stateName === 'WaitBeforeNextPoll')?.stateType).toBe('Wait');
    expect(result.history.at(-1)).toMatchObject({ type: 'ExecutionSucceeded', timestamp: new Date('2026-01-05T09:50:00Z') });
  });

  it('runs six virtual hours of polling in well under a second of real time', async () => {
    const startedAt = performance.now();
    const result = await runner.run({ cluster: 'prod', updateMinutes: 360 }, { name: 'six-hours' });
    const realMs = performance.now() - startedAt;

    expect(result.status).toBe('SUCCEEDED');
    expect(elapsedSeconds(result)).toBe(6 * 3600);
    expect(result.stateTransitions).toBe(1 + 37 * 2 + 36 + 1);
    expect(realMs).toBeLessThan(1000);
  });

  it('times out on virtual time when the execution outlives its TimeoutSeconds', async () => {
    const result = await runner.run({ cluster: 'prod', updateMinutes: 100_000 }, { name: 'never-finishes' });

    expect(result.status).toBe('TIMED_OUT');
    expect(elapsedSeconds(result)).toBe(8 * 3600);
    expect(result.history.at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('stops, as StopExecution does, when its signal aborts', async () => {
    const stop = new AbortController();
    afterPoll.set('stopped', (polls) => {
      if (polls === 3) stop.abort();
    });
    const result = await runner.run({ cluster: 'prod', updateMinutes: 100_000 }, { name: 'stopped', signal: stop.signal });

    expect(result.status).toBe('ABORTED');
    expect(elapsedSeconds(result)).toBe(20 * 60);
    expect(result.history.at(-1)?.type).toBe('ExecutionAborted');
  });
});

describe('a Map with MaxConcurrency', () => {
  it('runs at most MaxConcurrency iterations at once, each waiting on virtual time, and counts their states', async () => {
    const clock = new VirtualClock('2026-01-05T09:00:00Z');
    const start = clock.now().getTime();
    let inFlight = 0;
    let mostInFlight = 0;
    const runner = createStateMachineRunner({
      definition: loadStateMachine('map-node-groups'),
      clock,
      tasks: {
        'eksops-dev-upgradeNodeGroup': async () => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          return {};
        },
        'eksops-dev-verifyNodeGroup': async (item) => {
          inFlight -= 1;
          return { nodeGroup: stringField(item, 'nodeGroup'), verifiedAfterMinutes: (clock.now().getTime() - start) / 60_000 };
        },
      },
    });

    const result = await runner.run({ nodeGroups: ['ng-a', 'ng-b', 'ng-c', 'ng-d', 'ng-e'], rolloutSeconds: 900 });

    expect(result.status).toBe('SUCCEEDED');
    expect(mostInFlight).toBe(2);
    expect(result.output).toMatchObject({
      verified: [
        { nodeGroup: 'ng-a', verifiedAfterMinutes: 15 },
        { nodeGroup: 'ng-b', verifiedAfterMinutes: 15 },
        { nodeGroup: 'ng-c', verifiedAfterMinutes: 30 },
        { nodeGroup: 'ng-d', verifiedAfterMinutes: 30 },
        { nodeGroup: 'ng-e', verifiedAfterMinutes: 45 },
      ],
    });
    expect(elapsedSeconds(result)).toBe(45 * 60);
    // RollNodeGroups + 5 iterations × (UpdateNodeGroup + WaitForRollout + VerifyNodeGroup) + Done
    expect(result.stateTransitions).toBe(17);
    expect(result.history.filter((event) => event.type === 'MapIterationSucceeded')).toHaveLength(5);
  });
});

describe('Parallel branches', () => {
  it('interleave on virtual time as on a wall clock: a short wait wakes before a long one started with it', async () => {
    const clock = new VirtualClock('2026-01-05T09:00:00Z');
    const start = clock.now().getTime();
    const seenAt: Array<[string, number]> = [];
    const runner = createStateMachineRunner({
      definition: loadStateMachine('staggered-branches'),
      clock,
      tasks: {
        recordTime: async (_input, { stateName }) => {
          seenAt.push([stateName, (clock.now().getTime() - start) / 1000]);
          return null;
        },
      },
    });

    const result = await runner.run({});

    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({ status: 'SUCCEEDED' });
    expect(seenAt).toEqual([
      ['AfterShortWait', 60],
      ['AfterSecondShortWait', 120],
      ['AfterLongWait', 600],
    ]);
    expect(elapsedSeconds(result)).toBe(600);
    expect(result.stateTransitions).toBe(7);
  });
});

describe('createStateMachineRunner', () => {
  it('names the Task states that have no local handler before anything runs', () => {
    expect(() => createStateMachineRunner({ definition: loadStateMachine('poll-update'), clock: new VirtualClock(), tasks: {} })).toThrow(
      `No local task handler for: StartUpdate (${LAMBDA}:eksops-dev-upgradeStart), DescribeUpdate (${LAMBDA}:eksops-dev-upgradeStatus)`,
    );
  });

  it('fills the Context Object with the execution name, its ARN, and what contextObject adds', async () => {
    const definition = {
      StartAt: 'ReadContext',
      States: {
        ReadContext: {
          Type: 'Pass',
          Parameters: { 'execution.$': '$$.Execution.Name', 'executionArn.$': '$$.Execution.Id', 'stateMachine.$': '$$.StateMachine.Name' },
          End: true,
        },
      },
    };
    const runner = createStateMachineRunner({
      definition,
      clock: new VirtualClock(),
      tasks: {},
      contextObject: { StateMachine: { Id: 'arn:aws:states:eu-west-1:123456789012:stateMachine:eksops-dev-clusterUpgrade', Name: 'eksops-dev-clusterUpgrade' } },
    });

    const result = await runner.run({}, { name: 'upgrade-prod' });

    expect(result.output).toEqual({
      execution: 'upgrade-prod',
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:eksops-dev-clusterUpgrade:upgrade-prod',
      stateMachine: 'eksops-dev-clusterUpgrade',
    });
  });

  it('refuses an invalid definition with asl-validator’s reasons', () => {
    const definition = { StartAt: 'Missing', States: { Only: { Type: 'Succeed' } } };
    expect(() => createStateMachineRunner({ definition, clock: new VirtualClock(), tasks: {} })).toThrow('MISSING_TRANSITION_TARGET');
  });
});
