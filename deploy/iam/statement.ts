/** IAM policy statements as serverless.yml / CloudFormation take them. */
export type Sub = { 'Fn::Sub': string };
export type Resource = string | Sub | { 'Fn::GetAtt': [string, string] };

export interface Statement {
  Effect: 'Allow';
  Action: string[];
  Resource: Resource | Resource[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export const sub = (text: string): Sub => ({ 'Fn::Sub': text });

/** Every EKS cluster of the deployment account, in any region. */
export const ACCOUNT_CLUSTERS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:cluster/*');
