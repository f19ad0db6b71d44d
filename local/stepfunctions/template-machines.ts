import type { LocalLambdaRuntime } from '../lambda/runtime.ts';
import type { CloudFormationTemplate } from '../template/compiled-template.ts';
import { type Pseudo, resolveDefinitionString, stateMachineArn } from '../template/state-machines.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './asl.ts';
import { TaskFailure } from './task-failure.ts';
import type { VirtualClock } from '../time/virtual-clock.ts';
import { createStateMachineRunner, type StateMachineRunner, type TaskContext, type TaskHandlers } from './runner.ts';

/**
 * The state machines of the compiled template, each ready to run locally: the definition AWS would run
 * (ARNs resolved), its Lambda tasks mapped to the real handlers of the sandbox's Lambda runtime.
 * Keyed by state machine name (StateMachineName, else the logical id).
 */
export function stateMachinesOf(template: CloudFormationTemplate, lambda: LocalLambdaRuntime, clock: VirtualClock, pseudo: Pseudo): Map<string, StateMachineRunner> {
  const tasks: Record<string, TaskHandlers[string]> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const functionName = lambda.functionForLogicalId(logicalId);
    const deployedName = resource.Properties?.FunctionName;
    if (functionName && typeof deployedName === 'string') tasks[deployedName] = (input) => lambda.invoke(functionName, input);
  }
  const machines = new Map<string, StateMachineRunner>();
  const byArn = new Map<string, StateMachineRunner>();
  tasks[START_EXECUTION_SYNC_2] = (input, context) => runChildExecution(byArn, input, context);
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const name = typeof resource.Properties?.StateMachineName === 'string' ? resource.Properties.StateMachineName : logicalId;
    const definition = resolveDefinitionString(resource.Properties?.DefinitionString, template, pseudo);
    const arn = stateMachineArn(pseudo, name);
    const runner = createStateMachineRunner({ definition, clock, tasks, contextObject: { StateMachine: { Id: arn, Name: name } } });
    machines.set(name, runner);
    byArn.set(arn, runner);
  }
  return machines;
}

/** Step Functions' own integration: start an execution and wait for it, its output as JSON (`.sync:2`). */
const START_EXECUTION_SYNC_2 = 'arn:aws:states:::states:startExecution.sync:2';

/**
 * Runs the child on the same virtual clock (the parent's task is in flight meanwhile, so only the child
 * moves time) and answers as the integration does: the DescribeExecution fields with `Output` as JSON, or
 * `States.TaskFailed` with the child's status, error and cause. Source: Step Functions Developer Guide,
 * "Start a new AWS Step Functions state machine from a running execution".
 */
async function runChildExecution(machines: ReadonlyMap<string, StateMachineRunner>, input: JsonValue, context: TaskContext): Promise<JsonObject> {
  const request = isJsonObject(input) ? input : {};
  const arn = typeof request.StateMachineArn === 'string' ? request.StateMachineArn : '';
  const machine = machines.get(arn);
  if (!machine) throw new TaskFailure('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${arn}'`);
  const childInput: JsonValue = typeof request.Input === 'string' ? (JSON.parse(request.Input) as JsonValue) : (request.Input ?? {});
  const child = await machine.run(childInput, { signal: context.signal, ...(typeof request.Name === 'string' ? { name: request.Name } : {}) });
  context.recordChildExecution?.(child);
  const executionArn = `${arn.replace(':stateMachine:', ':execution:')}:${child.name}`;
  if (child.status !== 'SUCCEEDED') {
    throw new TaskFailure('States.TaskFailed', JSON.stringify({ ExecutionArn: executionArn, Status: child.status, Error: child.error ?? null, Cause: child.cause ?? null }));
  }
  return { ExecutionArn: executionArn, StateMachineArn: arn, Name: child.name, Status: 'SUCCEEDED', Input: childInput, Output: child.output ?? null, StartDate: child.startDate.getTime(), StopDate: child.stopDate.getTime() };
}
