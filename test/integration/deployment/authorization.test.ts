import { beforeAll, describe, expect, it } from '@jest/globals';
import { buildRoles } from '../../../deploy/iam.ts';
import { type CloudFormationTemplate, compiledTemplate } from '../../../local/template/compiled-template.ts';
import { type PolicyStatement, problemsOf } from './authorization-data.ts';
import { fullConfig } from './full-config.ts';

/**
 * Every role's policies checked against AWS's authorization data: for the compiled template (the default
 * configuration) and for the function roles of a configuration with every capability on (buildRoles, the part
 * of the template the configuration changes; packaging a second configuration would overwrite .serverless).
 */
let template: CloudFormationTemplate;
beforeAll(async () => {
  template = await compiledTemplate();
}, 8 * 60_000);

type Role = { Type?: string; Properties?: { AssumeRolePolicyDocument?: { Statement: PolicyStatement[] }; Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[] } };

async function problemsOfRoles(roles: Record<string, Role>, resourceTypes: Record<string, string | undefined>): Promise<string[]> {
  const problems: string[] = [];
  for (const [roleId, role] of Object.entries(roles)) {
    if (role.Type !== 'AWS::IAM::Role') continue;
    for (const statement of role.Properties?.AssumeRolePolicyDocument?.Statement ?? []) problems.push(...(await problemsOf(`${roleId} trust`, statement, resourceTypes, { trust: true })));
    for (const policy of role.Properties?.Policies ?? []) for (const statement of policy.PolicyDocument.Statement) problems.push(...(await problemsOf(roleId, statement, resourceTypes)));
  }
  return problems;
}

const typesOf = (resources: Record<string, { Type?: string }>) => Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, resource.Type]));

describe('IAM policies against AWS authorization data', () => {
  it('uses only existing actions, resource types they accept and condition keys they read: default configuration', async () => {
    const resources = template.Resources as Record<string, Role>;
    expect(await problemsOfRoles(resources, typesOf(resources))).toEqual([]);
  });

  it('… and with every capability on', async () => {
    const roles = buildRoles(fullConfig()) as Record<string, Role>;
    expect(await problemsOfRoles(roles, typesOf(template.Resources as Record<string, { Type?: string }>))).toEqual([]);
  });

  it('catches a made-up action, a resource of the wrong type and an ignored condition key', async () => {
    const types = typesOf(template.Resources as Record<string, { Type?: string }>);
    expect(await problemsOf('x', { Action: ['eks:UpgradeEverything'], Resource: '*' }, types)).toHaveLength(1);
    expect(await problemsOf('x', { Action: ['eks:UpdateClusterVersion'], Resource: 'arn:aws:eks:eu-west-1:123456789012:nodegroup/a/b/c' }, types)).toHaveLength(1);
    expect(await problemsOf('x', { Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } } }, types)).toHaveLength(1);
    expect(await problemsOf('x', { Action: ['eks:UpdateClusterVersion'], Resource: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' }, types)).toEqual([]);
  });
});
