import { describe, expect, it } from '@jest/globals';
import { LocalLambdaRuntime } from '../../../local/lambda/runtime.ts';
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
