import { beforeAll, describe, expect, it } from '@jest/globals';
import { UNSCOPABLE_ACTIONS } from '../../../deploy/iam.ts';
import { type CloudFormationTemplate, compiledTemplate } from '../../../local/template/compiled-template.ts';
import { SANDBOX_FUNCTIONS } from '../../../local/sandbox-functions.ts';
import { lambdaLogicalId } from '../../../local/lambda/runtime.ts';
import { validateDefinition } from '../../../local/stepfunctions/validate.ts';
import { resolveDefinitionString } from '../../../local/template/state-machines.ts';

/**
 * Deployment checks on the template `sls package` compiles (offline, without AWS credentials): what would
 * otherwise be found in a review of the IAM policies or, worse, in production.
 */
let template: CloudFormationTemplate;
beforeAll(async () => {
  template = await compiledTemplate();
}, 8 * 60_000);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const resourcesOf = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function statementsOf(roleLogicalId: string): Statement[] {
  const policies = (template.Resources[roleLogicalId]?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Search|Lookup)/;

describe('the compiled CloudFormation template', () => {
  it('runs every function on nodejs22.x, arm64, with a log group that expires', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [logicalId, fn] of functions) {
      expect({ logicalId, runtime: fn.Properties?.Runtime, architectures: fn.Properties?.Architectures }).toEqual({ logicalId, runtime: 'nodejs22.x', architectures: ['arm64'] });
      const logGroup = template.Resources[logicalId.replace(/LambdaFunction$/, 'LogGroup')];
      expect({ logicalId, retention: typeof logGroup?.Properties?.RetentionInDays }).toEqual({ logicalId, retention: 'number' });
    }
  });

  it('gives every function a role of its own', () => {
    const roles = resourcesOf('AWS::Lambda::Function').map(([logicalId, fn]) => {
      const role = fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
      return { logicalId, role: role?.['Fn::GetAtt']?.[0] };
    });
    for (const { logicalId, role } of roles) {
      expect({ logicalId, type: role ? template.Resources[role]?.Type : undefined }).toEqual({ logicalId, type: 'AWS::IAM::Role' });
    }
    expect(new Set(roles.map((entry) => entry.role)).size).toBe(roles.length);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('allows no "Action": "*" and no "Resource": "*" with a mutating action', () => {
    for (const [roleId] of resourcesOf('AWS::IAM::Role')) {
      for (const statement of statementsOf(roleId)) {
        const actions = asList(statement.Action);
        expect({ roleId, wildcardActions: actions.filter((action) => action === '*' || action.endsWith(':*')) }).toEqual({ roleId, wildcardActions: [] });
        if (asList(statement.Resource).includes('*')) {
          const unjustified = actions.filter((action) => !READ_ONLY.test(action) && !(action in UNSCOPABLE_ACTIONS));
          expect({ roleId, unjustified }).toEqual({ roleId, unjustified: [] });
        }
      }
    }
  });

  it('gives every asynchronously invoked function an on-failure destination', () => {
    const asyncPrincipals = new Set(['events.amazonaws.com', 'logs.amazonaws.com', 's3.amazonaws.com', 'sns.amazonaws.com', 'scheduler.amazonaws.com']);
    const asyncFunctions = new Set(
      resourcesOf('AWS::Lambda::Permission')
        .filter(([, permission]) => asyncPrincipals.has(String(permission.Properties?.Principal)))
        .map(([, permission]) => JSON.stringify(permission.Properties?.FunctionName)),
    );
    expect(asyncFunctions.size).toBeGreaterThan(0);
    for (const reference of asyncFunctions) {
      const logicalId = (JSON.parse(reference) as { 'Fn::GetAtt'?: [string] })['Fn::GetAtt']?.[0];
      const config = resourcesOf('AWS::Lambda::EventInvokeConfig').find(([, candidate]) => JSON.stringify(candidate.Properties?.FunctionName) === JSON.stringify({ Ref: logicalId }));
      const destination = (config?.[1].Properties?.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
      expect({ logicalId, destination }).toEqual({ logicalId, destination: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] } });
    }
  });

  it('lets exactly the functions with an on-failure destination send to the failure queue, and each write only its own logs', () => {
    // Function roles only: the state machine's role (lambda:InvokeFunction on its tasks) and Scheduler's role own no logs or queue.
    const functionRoles = resourcesOf('AWS::Lambda::Function').flatMap(([, fn]) => {
      const role = (fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      return role ? [role] : [];
    });
    expect(functionRoles.length).toBeGreaterThan(0);
    for (const roleId of functionRoles) {
      const statements = statementsOf(roleId);
      const functionId = resourcesOf('AWS::Lambda::Function').find(([, fn]) => (fn.Properties?.Role as { 'Fn::GetAtt'?: [string] } | undefined)?.['Fn::GetAtt']?.[0] === roleId)?.[0];
      const hasOnFailure = resourcesOf('AWS::Lambda::EventInvokeConfig').some(([, config]) => JSON.stringify(config.Properties?.FunctionName) === JSON.stringify({ Ref: functionId }) && (config.Properties?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure !== undefined);
      const sendsToQueue = statements.some((statement) => asList(statement.Action).includes('sqs:SendMessage'));
      expect({ roleId, sendsToQueue }).toEqual({ roleId, sendsToQueue: hasOnFailure });
      if (hasOnFailure) expect(statements).toContainEqual({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] } });
      const logs = statements.find((statement) => asList(statement.Action).includes('logs:PutLogEvents'));
      expect(JSON.stringify(logs?.Resource)).toMatch(/log-group:\/aws\/lambda\/\$\{AWS::StackName\}-[A-Za-z]+:log-stream:\*/);
    }
  });

  it('lets Step Functions assume a state machine role only for this account (aws:SourceAccount)', () => {
    const machines = resourcesOf('AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThan(0);
    for (const [logicalId, machine] of machines) {
      const roleId = (machine.Properties?.RoleArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      const trust = (template.Resources[roleId ?? '']?.Properties?.AssumeRolePolicyDocument as { Statement: { Principal?: { Service?: unknown }; Condition?: unknown }[] } | undefined)?.Statement ?? [];
      const fromStates = trust.filter((statement) => JSON.stringify(statement.Principal?.Service).includes('states.amazonaws.com'));
      expect({ logicalId, roleId, trusted: fromStates.length }).toEqual({ logicalId, roleId, trusted: 1 });
      for (const statement of fromStates) expect({ logicalId, condition: statement.Condition }).toEqual({ logicalId, condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
    }
    // No role of the template trusts Step Functions without the condition.
    for (const [roleId, role] of resourcesOf('AWS::IAM::Role')) {
      for (const statement of (role.Properties?.AssumeRolePolicyDocument as { Statement: { Principal?: { Service?: unknown }; Condition?: unknown }[] }).Statement) {
        if (JSON.stringify(statement.Principal?.Service).includes('states.amazonaws.com')) expect({ roleId, condition: JSON.stringify(statement.Condition ?? null) }).toEqual({ roleId, condition: expect.stringContaining('aws:SourceAccount') });
      }
    }
  });

  it('passes no role on "*" and changes no EKS cluster outside the configuration', () => {
    for (const [roleId] of resourcesOf('AWS::IAM::Role')) {
      for (const statement of statementsOf(roleId)) {
        const actions = asList(statement.Action);
        if (actions.includes('iam:PassRole')) expect({ roleId, resource: JSON.stringify(statement.Resource) }).toEqual({ roleId, resource: expect.not.stringContaining('*') });
        if (actions.some((action) => /^eks:(Update|Create|Delete|Associate|Disassociate)/.test(action))) expect({ roleId, resource: JSON.stringify(statement.Resource) }).toEqual({ roleId, resource: expect.not.stringMatching(/cluster\/\*|:eks:\*:/) });
        if (actions.some((action) => action.startsWith('es:') || action.startsWith('aoss:'))) expect({ roleId, resource: JSON.stringify(statement.Resource) }).toEqual({ roleId, resource: expect.not.stringMatching(/domain\/\*|collection\/\*/) });
      }
    }
  });

  it('passes every state machine through asl-validator', () => {
    for (const [logicalId, machine] of resourcesOf('AWS::StepFunctions::StateMachine')) {
      const definition = resolveDefinitionString(machine.Properties?.DefinitionString, template);
      expect({ logicalId, errors: validateDefinition(definition) }).toEqual({ logicalId, errors: [] });
    }
  });

  it('keeps no secret in an environment variable', () => {
    for (const [logicalId, fn] of resourcesOf('AWS::Lambda::Function')) {
      const variables = JSON.stringify((fn.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {});
      expect({ logicalId, leaks: variables.match(/xox[bp]-|hooks\.slack\.com|AKIA[0-9A-Z]{16}|password|token/gi) }).toEqual({ logicalId, leaks: null });
    }
  });

  it('has every function of the template in the sandbox', () => {
    const inTemplate = resourcesOf('AWS::Lambda::Function').map(([logicalId]) => logicalId).sort();
    expect(Object.keys(SANDBOX_FUNCTIONS).map(lambdaLogicalId).sort()).toEqual(inTemplate);
  });
});
