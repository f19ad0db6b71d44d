import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildRoles } from '../../../deploy/iam.ts';
import { parseConfig } from '../../../shared/config/load.ts';

describe('the deployment reads the configuration through the schema', () => {
  it('refuses to package an invalid configuration and names the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eksops-config-'));
    const file = path.join(dir, 'eksops.config.yml');
    writeFileSync(file, 'region: eu-west-1\nclusters:\n  - name: prod\n    maintenanceWindow: { schedule: "cron(0 2 * * SUN)", durationMinutes: 120 }\n');
    // `sls print` resolves every variable (the configuration among them) without bundling: the same gate as `sls package`.
    const result = spawnSync('node_modules/.bin/sls', ['print'], {
      env: { ...process.env, EKSOPS_CONFIG_FILE: file, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('clusters[0].maintenanceWindow.schedule: must be an EventBridge Scheduler cron expression');
  }, 150_000);
});

describe('IAM roles built from the configuration', () => {
  it('grants read access to exactly the secrets the configuration names, and the roles of other accounts, each to the functions that use them', () => {
    const config = parseConfig({
      region: 'eu-west-1',
      accounts: [{ id: '222233334444', roleArn: 'arn:aws:iam::222233334444:role/eksops' }],
      notify: { slack: { mode: 'webhook', secret: { ssmParameter: '/eksops/slack/webhook' } } },
      logs: { destinations: [{ name: 'splunk', type: 'splunk', url: 'https://splunk.example.com:8088', token: { secretsManager: 'eksops/splunk' } }] },
    });
    const roles = buildRoles(config) as Record<string, { Properties: { Policies: { PolicyDocument: { Statement: unknown[] } }[] } }>;
    const statementsOf = (role: string) => roles[role]?.Properties.Policies[0]?.PolicyDocument.Statement;
    const slack = { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/eksops/slack/webhook' }] };
    const splunk = { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:eksops/splunk-??????' }] };
    const assume = { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: ['arn:aws:iam::222233334444:role/eksops'] };
    // Onboarding posts to Slack and acts in the other account; it sends no logs.
    expect(statementsOf('ClusterOnboardingRole')).toContainEqual(slack);
    expect(statementsOf('ClusterOnboardingRole')).toContainEqual(assume);
    expect(statementsOf('ClusterOnboardingRole')).not.toContainEqual(splunk);
    // The forwarder sends logs: the destination's token, no Slack, no other account.
    expect(statementsOf('LogForwarderRole')).toContainEqual(splunk);
    expect(statementsOf('LogForwarderRole')).not.toContainEqual(slack);
    expect(statementsOf('LogForwarderRole')).not.toContainEqual(assume);
  });

  it('grants no secret access when no secret is configured', () => {
    const role = buildRoles(parseConfig({ region: 'eu-west-1' })).ClusterOnboardingRole as { Properties: { Policies: { PolicyDocument: { Statement: { Action: string[] }[] } }[] } };
    const actions = role.Properties.Policies[0]?.PolicyDocument.Statement.flatMap((statement) => statement.Action);
    expect(actions).not.toContain('ssm:GetParameter');
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    expect(actions).not.toContain('sts:AssumeRole');
  });

  const actionsOf = (roles: Record<string, object>, role: string) =>
    (roles[role] as { Properties: { Policies: { PolicyDocument: { Statement: { Action: string[] }[] } }[] } }).Properties.Policies[0]?.PolicyDocument.Statement.flatMap((statement) => statement.Action) ?? [];
  const withUpgrades = (upgrade: Record<string, unknown>) =>
    parseConfig({
      region: 'eu-west-1',
      notify: { slack: { mode: 'webhook', secret: { ssmParameter: '/eksops/slack/webhook' } } },
      clusters: [{ name: 'prod', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', durationMinutes: 240 } }],
      upgrade: { enabled: true, ...upgrade },
    });

  it('lets only upgradeApproval read the Slack signing secret', () => {
    const roles = buildRoles(withUpgrades({ approvals: { signingSecret: { secretsManager: 'eksops/slack-signing' }, approvers: ['U0123ABCD'] }, defaults: { approval: true } }));
    const readers = Object.keys(roles).filter((role) => JSON.stringify(roles[role]).includes('eksops/slack-signing'));
    expect(readers).toEqual(['UpgradeApprovalRole']);
  });

  it('grants launching instances and passing their role only when a cluster opts in to refreshing self-managed groups', () => {
    const off = buildRoles(withUpgrades({}));
    // upgrade.nodeRoleArns: the only roles PassRole names.
    const refreshing = withUpgrades({ nodeRoleArns: ['arn:aws:iam::111122223333:role/nodes'], defaults: { refreshSelfManaged: true } });
    const on = buildRoles(refreshing);
    for (const action of ['ec2:RunInstances', 'iam:PassRole', 'autoscaling:StartInstanceRefresh', 'ec2:CreateLaunchTemplateVersion']) {
      expect(Object.keys(off).filter((role) => actionsOf(off, role).includes(action))).toEqual([]);
      expect(Object.keys(on).filter((role) => actionsOf(on, role).includes(action))).toEqual(['UpgradeAdvanceRole']);
    }
  });
});
