import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { makeHandler as nodeDrain } from '../../functions/node-drain/app.ts';
import { makeHandler as upgradeAdvance } from '../../functions/upgrade-advance/app.ts';
import { makeHandler as upgradeApproval } from '../../functions/upgrade-approval/app.ts';
import { makeHandler as upgradeApprovalRequest } from '../../functions/upgrade-approval-request/app.ts';
import { makeHandler as upgradeBegin } from '../../functions/upgrade-begin/app.ts';
import { makeHandler as upgradeFinish } from '../../functions/upgrade-finish/app.ts';
import { makeHandler as upgradePoll } from '../../functions/upgrade-poll/app.ts';
import { SandboxAutoScaling } from '../account/services/autoscaling.ts';
import { SandboxEc2LaunchTemplates } from '../account/services/ec2-launch-templates.ts';
import { SandboxEc2Subnets } from '../account/services/ec2-subnets.ts';
import { SandboxEksAddons } from '../account/services/eks-addons.ts';
import { SandboxEksFargate } from '../account/services/eks-fargate.ts';
import { SandboxEksInsights } from '../account/services/eks-insights.ts';
import { SandboxSfn } from '../account/services/sfn.ts';
import { SANDBOX_SIGNING_SECRET } from '../sinks/slack-interactions.ts';
import type { Sandbox, SandboxPlugin } from '../sandbox-core.ts';

/** upgrade in the sandbox: its functions (built with the sandbox's dependencies) and services. */
export const UPGRADE: SandboxPlugin = {
  functions: {
    upgradeBegin: (deps) => upgradeBegin(deps),
    upgradeAdvance: (deps) => upgradeAdvance(deps),
    upgradePoll: (deps) => upgradePoll(deps),
    upgradeFinish: (deps) => upgradeFinish(deps),
    upgradeApprovalRequest: (deps) => upgradeApprovalRequest(deps),
    upgradeApproval: (deps) => upgradeApproval(deps),
    nodeDrain: (deps) => nodeDrain(deps),
  },
  services: ({ account, clock, eks }) => {
    account.register(new SandboxEksAddons(eks, clock));
    account.register(new SandboxEksInsights(eks, clock));
    account.register(new SandboxEksFargate(eks));
    account.register(new SandboxEc2Subnets());
    account.register(new SandboxEc2LaunchTemplates(account));
  },
  connect: async (sandbox) => {
    // Step Functions' callback API answers the sandbox's own state machines (the approval gate).
    sandbox.aws.account.register(new SandboxSfn(sandbox.stateMachines));
    const signingSecret = sandbox.config.upgrade.approvals?.signingSecret;
    if (signingSecret && 'ssmParameter' in signingSecret) sandbox.aws.services.ssm.seedParameter(sandbox.aws.here, signingSecret.ssmParameter, SANDBOX_SIGNING_SECRET, 'SecureString');
    await createLockTable(sandbox);
    // Auto Scaling's lifecycle-action events reach the bus, as EventBridge delivers them (nodeDrain's rule). One
    // instant: virtual time stands still while the drain runs, as a state machine's Wait would otherwise jump it.
    sandbox.aws.account.service(SandboxAutoScaling).onLifecycleAction((event) => sandbox.aws.clock.instant(() => sandbox.bus.put(event as never)));
  },
};

/** The lock table of the compiled template, created in the sandbox's DynamoDB (dynalite) as CloudFormation would. */
async function createLockTable(sandbox: Sandbox): Promise<void> {
  const resource = sandbox.template.Resources.UpgradeLockTable;
  if (!resource?.Properties) return;
  const properties = resource.Properties as { TableName: string; AttributeDefinitions: { AttributeName: string; AttributeType: 'S' }[]; KeySchema: { AttributeName: string; KeyType: 'HASH' }[] };
  const dynamodb = sandbox.aws.clients.client(DynamoDBClient);
  try {
    await dynamodb.send(new CreateTableCommand({ TableName: properties.TableName, AttributeDefinitions: properties.AttributeDefinitions, KeySchema: properties.KeySchema, BillingMode: 'PAY_PER_REQUEST' }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

