import { describe, expect, it } from '@jest/globals';
import { LocalLambdaRuntime } from '../../../local/lambda/runtime.ts';
import { totalStateTransitions } from '../../../local/stepfunctions/runner.ts';
import { stateMachinesOf } from '../../../local/stepfunctions/template-machines.ts';
import type { CloudFormationTemplate } from '../../../local/template/compiled-template.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';

// The shape serverless-step-functions compiles: a DefinitionString with Fn::Sub and the Lambda ARNs as variables.
const definition = {
  StartAt: 'Start',
  States: {
    Start: { Type: 'Task', Resource: '${f0}', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 600, Next: 'Check' },
    Check: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${f0}', 'Payload.$': '$' }, ResultSelector: { 'count.$': '$.Payload.count' }, End: true },
  },
};

const template: CloudFormationTemplate = {
  Resources: {
    CounterLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'eksops-dev-counter', Timeout: 30 } },
    CounterStateMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'counter',
        DefinitionString: { 'Fn::Sub': [JSON.stringify(definition), { f0: { 'Fn::GetAtt': ['CounterLambdaFunction', 'Arn'] } }] },
      },
    },
  },
};

describe('state machines of the compiled template, run locally', () => {
  it('resolves the Lambda ARNs to the sandbox handlers and waits on virtual time', async () => {
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    const lambda = new LocalLambdaRuntime({ template, clock, region: 'eu-west-1', accountId: '111122223333' });
    let count = 0;
    lambda.register('counter', async (event) => ({ count: ++count, seen: event }));
    const machines = stateMachinesOf(template, lambda, clock, { region: 'eu-west-1', accountId: '111122223333' });
    const result = await machines.get('counter')?.run({ hello: 'world' }, { name: 'window-2026-01-01' });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { count: 2 }, stateTransitions: 3 });
    expect(clock.now().toISOString()).toBe('2026-01-01T00:10:00.000Z');
    expect(lambda.invocations.map((invocation) => invocation.event)).toEqual([{ hello: 'world' }, { count: 1, seen: { hello: 'world' } }]);
  });
});

describe('a child execution started with states:startExecution.sync:2', () => {
  const child = {
    StartAt: 'Double',
    States: {
      Double: { Type: 'Task', Resource: '${f0}', Next: 'Sleep' },
      Sleep: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
      Done: { Type: 'Choice', Choices: [{ Variable: '$.value', NumericGreaterThan: 100, Next: 'TooBig' }], Default: 'Ok' },
      TooBig: { Type: 'Fail', Error: 'TooBig', Cause: 'over 100' },
      Ok: { Type: 'Succeed' },
    },
  };
  const parent = {
    StartAt: 'RunChild',
    States: {
      RunChild: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.sync:2',
        Parameters: { StateMachineArn: '${child}', Input: { 'value.$': '$.value' } },
        ResultSelector: { 'value.$': '$.Output.value', 'status.$': '$.Status' },
        Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Failed' }],
        End: true,
      },
      Failed: { Type: 'Pass', End: true },
    },
  };
  const templateWithChild: CloudFormationTemplate = {
    Resources: {
      DoubleLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'eksops-dev-double', Timeout: 30 } },
      ChildStateMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'child', DefinitionString: { 'Fn::Sub': [JSON.stringify(child), { f0: { 'Fn::GetAtt': ['DoubleLambdaFunction', 'Arn'] } }] } } },
      ParentStateMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'parent', DefinitionString: { 'Fn::Sub': [JSON.stringify(parent), { child: { Ref: 'ChildStateMachine' } }] } } },
    },
  };
  const start = () => {
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    const lambda = new LocalLambdaRuntime({ template: templateWithChild, clock, region: 'eu-west-1', accountId: '111122223333' });
    lambda.register('double', async (event) => ({ value: (event as { value: number }).value * 2 }));
    const machines = stateMachinesOf(templateWithChild, lambda, clock, { region: 'eu-west-1', accountId: '111122223333' });
    const machine = machines.get('parent');
    if (!machine) throw new Error('no parent machine');
    return { clock, machine };
  };

  it("waits for the child on the same virtual clock and gets its output as JSON, with the child's history kept apart", async () => {
    const { clock, machine } = start();
    const result = await machine.run({ value: 21 });

    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { value: 42, status: 'SUCCEEDED' } });
    expect(clock.now().toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect(result.childExecutions).toHaveLength(1);
    expect(result.childExecutions[0]).toMatchObject({ status: 'SUCCEEDED', stateTransitions: 4 });
    expect(totalStateTransitions(result)).toBe(result.stateTransitions + 4);
  });

  it("fails the task with States.TaskFailed carrying the child's status, error and cause", async () => {
    const { machine } = start();
    const result = await machine.run({ value: 60 });

    expect(result.status).toBe('SUCCEEDED');
    const failure = (result.output as { failure: { Error: string; Cause: string } }).failure;
    expect(failure.Error).toBe('States.TaskFailed');
    expect(JSON.parse(failure.Cause)).toMatchObject({ Status: 'FAILED', Error: 'TooBig', Cause: 'over 100', ExecutionArn: expect.stringMatching(/^arn:aws:states:eu-west-1:111122223333:execution:child:/) });
  });
});
