import { describe, expect, it } from '@jest/globals';
import { StateMachine } from 'aws-local-stepfunctions';
import { isJsonObject, listStates, type AslDefinition, type JsonValue } from '../../../local/stepfunctions/asl.ts';
import { validateDefinition } from '../../../local/stepfunctions/validate.ts';
import { virtualWaitDurationMs } from '../../../local/stepfunctions/virtual-wait.ts';
import { replaceWaitsWithClockTasks, VIRTUAL_WAIT_RESOURCE } from '../../../local/stepfunctions/wait-to-clock.ts';

const task = (next: string) => ({ Type: 'Task' as const, Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:noop', Next: next });

/** Every kind of Wait, at the top level, in Parallel branches, in a Map `Iterator` and a Map `ItemProcessor`, and in a loop. */
const definition: AslDefinition = {
  StartAt: 'WaitSeconds',
  States: {
    WaitSeconds: { Type: 'Wait', Seconds: 600, Comment: 'ten minutes', Next: 'WaitSecondsPath' },
    WaitSecondsPath: { Type: 'Wait', SecondsPath: '$.delay', InputPath: '$.settings', OutputPath: '$.kept', Next: 'Both' },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'WaitTimestamp', States: { WaitTimestamp: { Type: 'Wait', Timestamp: '2026-01-05T10:00:00Z', End: true } } },
        {
          StartAt: 'EachItem',
          States: {
            EachItem: {
              Type: 'Map',
              ItemsPath: '$.items',
              Iterator: { StartAt: 'WaitTimestampPath', States: { WaitTimestampPath: { Type: 'Wait', TimestampPath: '$.until', End: true } } },
              End: true,
            },
          },
        },
      ],
      ResultPath: null,
      Next: 'EachProcessed',
    },
    EachProcessed: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Poll',
        States: {
          Poll: { ...task('Done?'), ResultPath: '$.polls' },
          'Done?': { Type: 'Choice', Choices: [{ Variable: '$.polls', NumericGreaterThanEquals: 2, Next: 'Finished' }], Default: 'WaitInLoop' },
          WaitInLoop: { Type: 'Wait', Seconds: 60, Next: 'Poll' },
          Finished: { Type: 'Succeed' },
        },
      },
      ResultPath: '$.processed',
      End: true,
    },
  },
};

const nestedInput = {
  settings: { delay: 30, kept: { items: [{ until: '2026-01-05T09:30:00Z' }, { until: '2020-01-01T00:00:00Z' }] } },
  dropped: 'by the OutputPath of WaitSecondsPath',
};

function statesByName(machine: AslDefinition) {
  return new Map(listStates(machine).map(({ name, state }) => [name, state]));
}

/** A null input (which `"x.$": "$"` cannot select in aws-local-stepfunctions), and null paths. */
const oddInputs: AslDefinition = {
  StartAt: 'ReturnsNothing',
  States: {
    ReturnsNothing: { ...task('WaitOnNull'), Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:nothing' },
    WaitOnNull: { Type: 'Wait', Seconds: 5, Next: 'WaitUntilOnNull' },
    WaitUntilOnNull: { Type: 'Wait', Timestamp: '2026-01-05T10:00:00Z', Next: 'WaitWithNullInputPath' },
    WaitWithNullInputPath: { Type: 'Wait', Seconds: 1, InputPath: null, Next: 'WaitWithNullOutputPath' },
    WaitWithNullOutputPath: { Type: 'Wait', Seconds: 1, OutputPath: null, End: true },
  },
};


describe('replaceWaitsWithClockTasks', () => {
  const replaced = statesByName(replaceWaitsWithClockTasks(definition));

  it('turns Seconds into a Task whose output is its input, with the seconds to wait as Parameters', () => {
    expect(replaced.get('WaitSeconds')).toEqual({
      Type: 'Task',
      Resource: VIRTUAL_WAIT_RESOURCE,
      Parameters: { Seconds: 600 },
      ResultPath: null,
      Comment: 'ten minutes',
      Next: 'WaitSecondsPath',
    });
  });

  it('turns SecondsPath into a path parameter, with InputPath folded into it and into OutputPath', () => {
    expect(replaced.get('WaitSecondsPath')).toEqual({
      Type: 'Task',
      Resource: VIRTUAL_WAIT_RESOURCE,
      Parameters: { 'Seconds.$': '$.settings.delay' },
      ResultPath: null,
      OutputPath: '$.settings.kept',
      Next: 'Both',
    });
  });

  it('replaces Timestamp in a Parallel branch, keeping End', () => {
    expect(replaced.get('WaitTimestamp')).toEqual({
      Type: 'Task',
      Resource: VIRTUAL_WAIT_RESOURCE,
      Parameters: { Timestamp: '2026-01-05T10:00:00Z' },
      ResultPath: null,
      End: true,
    });
  });

  it('replaces TimestampPath in a Map Iterator nested in a Parallel branch', () => {
    expect(replaced.get('WaitTimestampPath')).toEqual({
      Type: 'Task',
      Resource: VIRTUAL_WAIT_RESOURCE,
      Parameters: { 'Timestamp.$': '$.until' },
      ResultPath: null,
      End: true,
    });
  });

  it('replaces Waits in a Map ItemProcessor and leaves every other state as it was', () => {
    expect(replaced.get('WaitInLoop')).toMatchObject({ Type: 'Task', Resource: VIRTUAL_WAIT_RESOURCE, Next: 'Poll' });
    const original = statesByName(definition);
    for (const name of ['Both', 'Poll', 'Done?', 'Finished']) expect(replaced.get(name)?.Type).toBe(original.get(name)?.Type);
    for (const name of ['Poll', 'Done?', 'Finished']) expect(replaced.get(name)).toEqual(original.get(name));
    expect([...replaced.values()].filter((state) => state.Type === 'Wait')).toEqual([]);
    expect([...replaced.keys()]).toEqual([...original.keys()]);
  });

  it('does not touch the definition it is given', () => {
    const before = structuredClone(definition);
    replaceWaitsWithClockTasks(definition);
    expect(definition).toEqual(before);
  });

  it('produces a valid definition', () => {
    expect(validateDefinition(replaceWaitsWithClockTasks(definition))).toEqual([]);
  });

  it('refuses a Wait whose meaning it cannot carry over', () => {
    const waitWith = (fields: object) => ({ StartAt: 'W', States: { W: { Type: 'Wait', End: true, ...fields } } }) as AslDefinition;
    expect(() => replaceWaitsWithClockTasks(waitWith({ Seconds: 1, QueryLanguage: 'JSONata' }))).toThrow('Wait state "W"');
    expect(() => replaceWaitsWithClockTasks(waitWith({ SecondsPath: '$.delay', InputPath: '$.items[*]' }))).toThrow('not a definite path');
  });

  it.each([
    {
      machine: definition,
      input: nestedInput,
      entered: 20,
      waitedFor: { WaitSecondsPath: [{ Seconds: 30 }], WaitTimestampPath: [{ Timestamp: '2026-01-05T09:30:00Z' }, { Timestamp: '2020-01-01T00:00:00Z' }] },
    },
    { machine: oddInputs, input: { cluster: 'prod' }, entered: 5, waitedFor: { WaitOnNull: [{ Seconds: 5 }], WaitWithNullOutputPath: [{ Seconds: 1 }] } },
  ])('makes exactly the same state transitions, with the same output, as the Waits it replaces ($entered states)', async ({ machine, input, entered, waitedFor }) => {
    const waitNames = listStates(machine)
      .filter(({ state }) => state.Type === 'Wait')
      .map(({ name }) => name);
    const tasks = {
      Poll: async (item: JsonValue) => (isJsonObject(item) && typeof item.polls === 'number' ? item.polls : 0) + 1,
      ReturnsNothing: async () => null,
    };
    const withWaits = await runRecordingEntries(machine, input, {
      waitTimeOverrides: Object.fromEntries(waitNames.map((name) => [name, 0])),
      taskResourceLocalHandlers: tasks,
    });
    const parametersByWait = new Map<string, JsonValue[]>();
    const recordParameters = (name: string) => async (parameters: JsonValue) => {
      parametersByWait.set(name, [...(parametersByWait.get(name) ?? []), parameters]);
      return 'discarded';
    };
    const withTasks = await runRecordingEntries(replaceWaitsWithClockTasks(machine), input, {
      taskResourceLocalHandlers: { ...tasks, ...Object.fromEntries(waitNames.map((name) => [name, recordParameters(name)])) },
    });
    expect(withTasks.output).toEqual(withWaits.output);
    expect(Object.fromEntries(parametersByWait)).toMatchObject(waitedFor);
    expect(withTasks.entered.sort()).toEqual(withWaits.entered.sort());
    expect(withWaits.entered).toHaveLength(entered);
  });
});

describe('virtualWaitDurationMs', () => {
  const now = new Date('2026-01-05T09:00:00Z');

  it('waits Seconds', () => {
    expect(virtualWaitDurationMs({ Seconds: 600 }, now)).toBe(600_000);
  });

  it('waits until a Timestamp, and zero for a timestamp in the past', () => {
    expect(virtualWaitDurationMs({ Timestamp: '2026-01-05T09:30:00+00:00' }, now)).toBe(1_800_000);
    expect(virtualWaitDurationMs({ Timestamp: '2026-01-05T08:00:00Z' }, now)).toBe(0);
  });

  it('fails with States.Runtime when a path resolved to something that is not a duration', () => {
    expect(() => virtualWaitDurationMs({ Seconds: -1 }, now)).toThrow(expect.objectContaining({ name: 'States.Runtime' }));
    expect(() => virtualWaitDurationMs({ Seconds: 1.5 }, now)).toThrow(expect.objectContaining({ name: 'States.Runtime' }));
    expect(() => virtualWaitDurationMs({ Timestamp: 'tomorrow' }, now)).toThrow(expect.objectContaining({ name: 'States.Runtime' }));
  });
});

type Overrides = NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>;

async function runRecordingEntries(machine: AslDefinition, input: JsonValue, overrides: Overrides): Promise<{ output: JsonValue; entered: string[] }> {
  const execution = new StateMachine(JSON.parse(JSON.stringify(machine)), { validationOptions: { noValidate: true } }).run(input, { overrides });
  const entered: string[] = [];
  const recorded = (async () => {
    for await (const event of execution.eventLogs) if (event.type === 'StateEntered') entered.push(event.state.name);
  })();
  const output = await execution.result;
  await recorded;
  return { output, entered };
}
