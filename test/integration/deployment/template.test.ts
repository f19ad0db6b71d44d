import { beforeAll, describe, expect, it } from '@jest/globals';
import { UNSCOPABLE_ACTIONS } from '../../../deploy/iam.ts';
import { type CloudFormationTemplate, compiledTemplate } from '../../../local/template/compiled-template.ts';
import { SANDBOX_FUNCTIONS } from '../../../local/functions.ts';
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

  it('lets each function send to the failure queue and write only its own logs', () => {
    // Function roles only: the state machine's role (lambda:InvokeFunction on its tasks) and Scheduler's role own no logs or queue.
    const functionRoles = resourcesOf('AWS::Lambda::Function').flatMap(([, fn]) => {
      const role = (fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      return role ? [role] : [];
    });
    expect(functionRoles.length).toBeGreaterThan(0);
    for (const roleId of functionRoles) {
      const statements = statementsOf(roleId);
      expect(statements).toContainEqual({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] } });
      const logs = statements.find((statement) => asList(statement.Action).includes('logs:PutLogEvents'));
      expect(JSON.stringify(logs?.Resource)).toMatch(/log-group:\/aws\/lambda\/\$\{AWS::StackName\}-[A-Za-z]+:\*/);
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
