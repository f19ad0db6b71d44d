import { describe, expect, it } from '@jest/globals';
import { buildRoles, CROSS_ACCOUNT_FUNCTIONS, DESTINATION_FUNCTIONS, FUNCTION_PERMISSIONS, ON_FAILURE_FUNCTIONS, roleLogicalId, SLACK_FUNCTIONS } from '../../../deploy/iam.ts';
import { COLLECTION_ARN, CROSS_ROLE, DOMAIN_ARN, fullConfig, NODE_ROLE } from '../../integration/deployment/full-config.ts';

/**
 * Least privilege per function with every capability on: each role holds exactly the secrets and roles its own
 * code uses.
 */
type Statement = { Action: string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const roles = buildRoles(fullConfig()) as Record<string, { Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } }>;
const statementsOf = (name: string) => (roles[roleLogicalId(name)]?.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const resourcesFor = (name: string, action: string) => statementsOf(name).filter((statement) => statement.Action.includes(action)).flatMap((statement) => asList(statement.Resource));
const text = (value: unknown) => JSON.stringify(value);
const names = Object.keys(FUNCTION_PERMISSIONS);

const SLACK = '{"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/eksops/slack"}';
const EXTERNAL_ID = '{"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/eksops/external-id"}';
const SPLUNK = '{"Fn::Sub":"arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:eksops/splunk-??????"}';
const SIGNING = '{"Fn::Sub":"arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:eksops/slack-signing-??????"}';
const TAG_RECORD_KEY = '{"Ref":"TagRecordKeySecret"}';

describe('least privilege per function, every capability on', () => {
  it.each(names)('%s reads exactly its own secrets', (name) => {
    const secrets = [...resourcesFor(name, 'ssm:GetParameter'), ...resourcesFor(name, 'secretsmanager:GetSecretValue')].map(text).sort();
    const expected = [
      ...(SLACK_FUNCTIONS.has(name) ? [SLACK] : []),
      ...(CROSS_ACCOUNT_FUNCTIONS.has(name) ? [EXTERNAL_ID] : []),
      ...(DESTINATION_FUNCTIONS.has(name) ? [SPLUNK] : []),
      ...(name === 'upgradeApproval' ? [SIGNING] : []),
      ...(name === 'nodeTags' ? [TAG_RECORD_KEY] : []),
    ].sort();
    expect(secrets).toEqual(expected);
  });

  it('gives the destination credentials to the forwarder and the replay only, the signing secret to upgradeApproval only', () => {
    expect(names.filter((name) => resourcesFor(name, 'secretsmanager:GetSecretValue').map(text).includes(SPLUNK)).sort()).toEqual(['logForwarder', 'logReplay']);
    expect(names.filter((name) => resourcesFor(name, 'secretsmanager:GetSecretValue').map(text).includes(SIGNING))).toEqual(['upgradeApproval']);
    expect(names.filter((name) => resourcesFor(name, 'ssm:GetParameter').map(text).includes(SLACK)).sort()).toEqual([...SLACK_FUNCTIONS].sort());
  });

  it('lets only the functions that act in other accounts assume roles there', () => {
    expect(names.filter((name) => resourcesFor(name, 'sts:AssumeRole').length > 0).sort()).toEqual([...CROSS_ACCOUNT_FUNCTIONS].sort());
    for (const name of CROSS_ACCOUNT_FUNCTIONS) expect(resourcesFor(name, 'sts:AssumeRole')).toEqual([CROSS_ROLE]);
    for (const name of ['logForwarder', 'logReplay', 'upgradeApproval', 'upgradeApprovalRequest', 'upgradeFinish']) expect(resourcesFor(name, 'sts:AssumeRole')).toEqual([]);
  });

  it('passes only the configured node roles, to EC2 only, and launches only from the account\'s launch templates', () => {
    const passRole = statementsOf('upgradeAdvance').filter((statement) => statement.Action.includes('iam:PassRole'));
    expect(passRole).toEqual([{ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [NODE_ROLE], Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }]);
    for (const name of names) for (const resource of resourcesFor(name, 'iam:PassRole')) expect(text(resource)).not.toContain('*');
    const run = statementsOf('upgradeAdvance').filter((statement) => statement.Action.includes('ec2:RunInstances'));
    expect(run).toHaveLength(1);
    const [launch] = run;
    expect(launch?.Condition).toEqual({ ArnLike: { 'ec2:LaunchTemplate': { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:launch-template/*' } } });
    for (const resource of asList(launch?.Resource)) expect(text(resource)).not.toMatch(/:\$\{AWS::AccountId\}:\*"/);
  });

  it('sends to OpenSearch with exactly the configured domain and collection', () => {
    for (const name of ['logForwarder', 'logReplay']) {
      expect(resourcesFor(name, 'es:ESHttpPost')).toEqual([`${DOMAIN_ARN}/*`]);
      expect(resourcesFor(name, 'es:ESHttpPut')).toEqual([`${DOMAIN_ARN}/*`]);
      expect(resourcesFor(name, 'aoss:APIAccessAll')).toEqual([COLLECTION_ARN]);
    }
    expect(text(roles)).not.toMatch(/domain\/\*|collection\/\*/);
  });

  it('changes only the configured clusters', () => {
    const prod = { 'Fn::Sub': 'arn:${AWS::Partition}:eks:eu-west-1:${AWS::AccountId}:cluster/prod' };
    const other = { 'Fn::Sub': 'arn:${AWS::Partition}:eks:us-east-1:222222222222:cluster/other' };
    const mutating = ['eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:UpdateNodegroupVersion', 'eks:UpdateAddon'];
    for (const name of names) for (const action of mutating) for (const resource of resourcesFor(name, action)) expect(text(resource)).not.toMatch(/:cluster\/\*|nodegroup\/\*|addon\/\*/);
    expect(resourcesFor('logSubscriptions', 'eks:UpdateClusterConfig')).toEqual([prod, other]);
    expect(resourcesFor('upgradeAdvance', 'eks:UpdateClusterVersion')).toEqual([prod, other]);
  });

  it('lets only the functions with an on-failure destination send to the failure queue', () => {
    expect(names.filter((name) => resourcesFor(name, 'sqs:SendMessage').length > 0).sort()).toEqual([...ON_FAILURE_FUNCTIONS].sort());
  });
});
