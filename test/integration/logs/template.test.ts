import { beforeAll, describe, expect, it } from '@jest/globals';
import { type CloudFormationTemplate, compiledTemplate } from '../../../local/template/compiled-template.ts';

/** What log shipping adds to the template `sls package` compiles. */
let template: CloudFormationTemplate;
beforeAll(async () => {
  template = await compiledTemplate();
}, 8 * 60_000);

const ofType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

describe('log shipping in the compiled template', () => {
  it('lets CloudWatch Logs invoke the forwarder with one permission for every /aws/eks/* log group', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(([, resource]) => resource.Properties?.Principal === 'logs.amazonaws.com');
    expect(permissions.map(([, resource]) => resource.Properties)).toEqual([
      {
        FunctionName: { 'Fn::GetAtt': ['LogForwarderLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'logs.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/eks/*:*' },
      },
    ]);
  });

  it('sends each asynchronously invoked log function\'s failed events to the failure queue', () => {
    for (const name of ['LogForwarderLambdaFunction', 'LogSubscriptionsLambdaFunction', 'LogReplayLambdaFunction']) {
      const config = ofType('AWS::Lambda::EventInvokeConfig').find(([, resource]) => JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify({ Ref: name }));
      expect({ name, destination: (config?.[1].Properties?.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination }).toEqual({ name, destination: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] } });
    }
  });

  it('keeps the failure store private, encrypted and reachable over TLS only', () => {
    const bucket = template.Resources.LogsFailureBucket?.Properties ?? {};
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify(bucket.BucketEncryption)).toContain('AES256');
    expect(JSON.stringify(template.Resources.LogsFailureBucketTlsOnly?.Properties)).toContain('"aws:SecureTransport":"false"');
  });

  it('gives the forwarder only PutObject on the failure store, beyond what every function gets', () => {
    const policy = (template.Resources.LogForwarderRole?.Properties?.Policies as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[])[0];
    const actions = (policy?.PolicyDocument.Statement ?? []).flatMap((statement) => statement.Action);
    expect(actions.filter((action) => !['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'ssm:GetParameter', 'secretsmanager:GetSecretValue', 'sts:AssumeRole'].includes(action))).toEqual(['s3:PutObject']);
  });
});
