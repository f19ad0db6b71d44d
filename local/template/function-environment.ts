import type { AccountRegion } from '../account/account.ts';
import type { CloudFormationTemplate } from './compiled-template.ts';

/**
 * A function's environment variables as the compiled template sets them, with the references CloudFormation
 * would resolve (Ref and Fn::GetAtt of the stack's own resources, pseudo parameters) resolved to the names the
 * sandbox gives those resources: a bucket's BucketName (else its logical id in lower case), a queue's URL, a
 * table's TableName, a state machine's ARN.
 */
export function functionEnvironment(template: CloudFormationTemplate, functionLogicalId: string, here: AccountRegion): Record<string, string> {
  const environment = (template.Resources[functionLogicalId]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, resolve(value, template, here)]));
}

function resolve(value: unknown, template: CloudFormationTemplate, here: AccountRegion): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  if (typeof ref === 'string') return refOf(ref, template, here);
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') return attributeOf(getAtt[0], getAtt[1], template, here);
  throw new Error(`the sandbox cannot resolve the environment value ${JSON.stringify(value)}`);
}

function refOf(logicalId: string, template: CloudFormationTemplate, here: AccountRegion): string {
  switch (logicalId) {
    case 'AWS::AccountId':
      return here.accountId;
    case 'AWS::Region':
      return here.region;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::StackName':
      return 'eksops-dev';
  }
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`the environment refers to ${logicalId}, which is not in the template`);
  const properties = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return queueUrl(template, logicalId, here);
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${here.region}:${here.accountId}:stateMachine:${String(properties.StateMachineName ?? logicalId)}`;
    default:
      return String(properties.BucketName ?? properties.TableName ?? properties.FunctionName ?? properties.Name ?? logicalId.toLowerCase());
  }
}

function attributeOf(logicalId: string, attribute: string, template: CloudFormationTemplate, here: AccountRegion): string {
  const resource = template.Resources[logicalId];
  const name = refOf(logicalId, template, here);
  if (attribute !== 'Arn' || !resource) return name;
  switch (resource.Type) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${here.region}:${here.accountId}:${String(resource.Properties?.QueueName ?? logicalId)}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${here.region}:${here.accountId}:table/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${here.region}:${here.accountId}:function:${name}`;
    default:
      return name;
  }
}

/** A queue's URL, as its Ref gives it: its QueueName, else its logical id. */
export function queueUrl(template: CloudFormationTemplate, logicalId: string, here: AccountRegion): string {
  return `https://sqs.${here.region}.amazonaws.com/${here.accountId}/${String(template.Resources[logicalId]?.Properties?.QueueName ?? logicalId)}`;
}
