import type { LocalLambdaRuntime } from '../lambda/runtime.ts';
import type { CloudFormationTemplate } from '../template/compiled-template.ts';
import { type Pseudo, resolveDefinitionString } from '../template/state-machines.ts';
import type { VirtualClock } from '../time/virtual-clock.ts';
import { createStateMachineRunner, type StateMachineRunner, type TaskHandlers } from './runner.ts';

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
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const name = typeof resource.Properties?.StateMachineName === 'string' ? resource.Properties.StateMachineName : logicalId;
    const definition = resolveDefinitionString(resource.Properties?.DefinitionString, template, pseudo);
    const arn = `arn:aws:states:${pseudo.region}:${pseudo.accountId}:stateMachine:${name}`;
    machines.set(name, createStateMachineRunner({ definition, clock, tasks, contextObject: { StateMachine: { Id: arn, Name: name } } }));
  }
  return machines;
}
