import type { CloudFormationTemplate } from './compiled-template.ts';

export interface Pseudo {
  region: string;
  accountId: string;
  partition?: string;
  stackName?: string;
}

const DEFAULT_PSEUDO: Pseudo = { region: 'eu-west-1', accountId: '111122223333', partition: 'aws', stackName: 'eksops-dev' };

/**
 * A state machine's DefinitionString as serverless-step-functions compiles it (`{"Fn::Sub": [json, vars]}`,
 * a plain `Fn::Sub` string, or a string) turned into the definition AWS would run: Lambda ARNs resolved to
 * the functions' names in the template, pseudo parameters filled.
 */
export function resolveDefinitionString(definition: unknown, template: CloudFormationTemplate, pseudo: Pseudo = DEFAULT_PSEUDO): unknown {
  const [text, variables] = splitSub(definition);
  const resolved = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = name in variables ? resolveValue(variables[name], template, pseudo) : resolveName(name, template, pseudo);
    return value ?? whole;
  });
  return JSON.parse(resolved) as unknown;
}

function splitSub(definition: unknown): [string, Record<string, unknown>] {
  if (typeof definition === 'string') return [definition, {}];
  const sub = (definition as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
  if (typeof sub === 'string') return [sub, {}];
  if (Array.isArray(sub) && typeof sub[0] === 'string') return [sub[0], (sub[1] ?? {}) as Record<string, unknown>];
  throw new Error(`unsupported DefinitionString: ${JSON.stringify(definition).slice(0, 200)}`);
}

function resolveValue(value: unknown, template: CloudFormationTemplate, pseudo: Pseudo): string | undefined {
  if (typeof value === 'string') return value;
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'];
  if (getAtt) return resolveName(`${getAtt[0]}.${getAtt[1]}`, template, pseudo);
  const ref = (value as { Ref?: string } | null)?.Ref;
  if (ref) return resolveName(ref, template, pseudo);
  return undefined;
}

function resolveName(name: string, template: CloudFormationTemplate, pseudo: Pseudo): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::Partition':
      return pseudo.partition ?? 'aws';
    case 'AWS::StackName':
      return pseudo.stackName ?? 'eksops-dev';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
  }
  const [logicalId, attribute] = name.split('.');
  const resource = logicalId ? template.Resources[logicalId] : undefined;
  if (resource?.Type === 'AWS::Lambda::Function' && (attribute === 'Arn' || attribute === undefined)) {
    return `arn:${pseudo.partition ?? 'aws'}:lambda:${pseudo.region}:${pseudo.accountId}:function:${String(resource.Properties?.FunctionName ?? logicalId)}`;
  }
  // Ref of a state machine is its ARN, as is its Arn attribute.
  if (resource?.Type === 'AWS::StepFunctions::StateMachine' && (attribute === 'Arn' || attribute === undefined)) {
    return stateMachineArn(pseudo, String(resource.Properties?.StateMachineName ?? logicalId));
  }
  return undefined;
}

export function stateMachineArn(pseudo: Pseudo, name: string): string {
  return `arn:${pseudo.partition ?? 'aws'}:states:${pseudo.region}:${pseudo.accountId}:stateMachine:${name}`;
}
