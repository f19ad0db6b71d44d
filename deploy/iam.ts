import type { Config } from '../shared/config/schema.ts';
import type { SecretRef } from '../shared/secrets/secret-ref.ts';
import { ACCESS_PERMISSIONS, ACCESS_UNSCOPABLE } from './iam/access.ts';
import { LOGS_PERMISSIONS, LOGS_UNSCOPABLE, logsConfigPermissions, logsDestinationPermissions } from './iam/logs.ts';
import { type Resource, type Statement, sub } from './iam/statement.ts';
import { TAGS_PERMISSIONS, TAGS_UNSCOPABLE } from './iam/tags.ts';
import { UPGRADE_PERMISSIONS, UPGRADE_UNSCOPABLE, upgradeConfigPermissions } from './iam/upgrade.ts';

/**
 * One IAM role per function, least privilege. Each function lists only the actions it calls, on the
 * narrowest resources AWS lets the action be scoped to; its own log group, and only where its code uses them
 * the failure queue, the secrets and the roles it assumes in other accounts (grantedStatements), are added here. serverless.yml points each function at `<Name>Role`.
 */
/** What each function calls, beyond what every function gets. Keys are serverless.yml function names. */
export const FUNCTION_PERMISSIONS: Record<string, Statement[]> = {
  ...ACCESS_PERMISSIONS,
  ...LOGS_PERMISSIONS,
  ...TAGS_PERMISSIONS,
  ...UPGRADE_PERMISSIONS,
};

/** Mutating actions allowed on `"Resource": "*"` because AWS cannot scope them, each with its reason. */
export const UNSCOPABLE_ACTIONS: Record<string, string> = {
  ...ACCESS_UNSCOPABLE,
  ...LOGS_UNSCOPABLE,
  ...TAGS_UNSCOPABLE,
  ...UPGRADE_UNSCOPABLE,
};

export function roleLogicalId(functionName: string): string {
  return `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}Role`;
}

export function buildRoles(config: Config): Record<string, object> {
  const granted = grantedStatements(config);
  // Destinations reached through AWS (S3, Firehose, OpenSearch with SigV4) are named in the configuration.
  const destinations = logsDestinationPermissions(config);
  // What the configuration turns on for one function: the approvals' signing secret (its reader alone), the
  // instance refresh of self-managed groups.
  const configured = mergePermissions(upgradeConfigPermissions(config), logsConfigPermissions(config), config.upgrade.approvals ? { upgradeApproval: secretStatements([config.upgrade.approvals.signingSecret]) } : {});
  return Object.fromEntries(
    Object.entries(FUNCTION_PERMISSIONS).map(([name, statements]) => [
      roleLogicalId(name),
      {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: name,
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                    Resource: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/\${AWS::StackName}-${name}:log-stream:*`),
                  },
                  // The FailureQueue, sent to twice with the function's own role: by Lambda's on-failure
                  // destination after the retries, and by the function itself for an invalid event, which it
                  // does not let Lambda retry (shared/middleware/failure-queue.ts, EKSOPS_FAILURE_QUEUE_URL).
                  // Only the asynchronously invoked functions (those with `destinations.onFailure`) get it.
                  ...(ON_FAILURE_FUNCTIONS.has(name) ? [{ Effect: 'Allow' as const, Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] as [string, string] } }] : []),
                  ...(granted[name] ?? []),
                  ...statements,
                  ...(destinations[name] ?? []),
                  ...(configured[name] ?? []),
                ],
              },
            },
          ],
        },
      },
    ]),
  );
}

/**
 * Who uses what (read from each functions/<name>/app.ts and the cores they call): each function is granted only the
 * secrets and roles in its own code path.
 * - Slack: every function that takes a `notifier` (cluster-onboarding, log-subscriptions, node-tags, the upgrade tasks, node-drain).
 * - Destination credentials: the forwarder and the replay, the only senders to log destinations.
 * - Other accounts: the functions that build clients with an `accountId` (cluster-onboarding, log-subscriptions,
 *   node-tags; upgrade begin/advance/poll and node-drain through upgradeClientsFor). Their externalId secret goes with them.
 */
export const SLACK_FUNCTIONS = new Set(['clusterOnboarding', 'logSubscriptions', 'nodeTags', 'upgradeBegin', 'upgradeAdvance', 'upgradePoll', 'upgradeFinish', 'upgradeApprovalRequest', 'upgradeApproval', 'nodeDrain']);
export const DESTINATION_FUNCTIONS = new Set(['logForwarder', 'logReplay']);
export const CROSS_ACCOUNT_FUNCTIONS = new Set(['clusterOnboarding', 'logSubscriptions', 'nodeTags', 'upgradeBegin', 'upgradeAdvance', 'upgradePoll', 'nodeDrain']);
/** The functions with `destinations.onFailure` in serverless/<capability>.functions.yml (the template test checks the two agree). */
export const ON_FAILURE_FUNCTIONS = new Set(['clusterOnboarding', 'logForwarder', 'logSubscriptions', 'logReplay', 'nodeTags', 'nodeDrain']);

function grantedStatements(config: Config): Record<string, Statement[]> {
  const slack = config.notify.slack ? [config.notify.slack.secret] : [];
  const destinations = destinationSecretRefs(config);
  const externalIds = config.accounts.flatMap((account) => {
    const externalId = account.externalId;
    return externalId ? [externalId] : [];
  });
  const granted: Record<string, Statement[]> = {};
  for (const name of Object.keys(FUNCTION_PERMISSIONS)) {
    const refs = [...(SLACK_FUNCTIONS.has(name) ? slack : []), ...(DESTINATION_FUNCTIONS.has(name) ? destinations : []), ...(CROSS_ACCOUNT_FUNCTIONS.has(name) ? externalIds : [])];
    const statements = secretStatements(refs);
    if (CROSS_ACCOUNT_FUNCTIONS.has(name) && config.accounts.length > 0) {
      statements.push({ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: config.accounts.map((account) => account.roleArn) });
    }
    granted[name] = statements;
  }
  return granted;
}

function mergePermissions(...maps: Record<string, Statement[]>[]): Record<string, Statement[]> {
  const merged: Record<string, Statement[]> = {};
  for (const map of maps) for (const [name, statements] of Object.entries(map)) merged[name] = [...(merged[name] ?? []), ...statements];
  return merged;
}

/** Read access to exactly these secrets. */
function secretStatements(refs: readonly SecretRef[]): Statement[] {
  const parameters = refs.flatMap((ref) => ('ssmParameter' in ref ? [sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${ref.ssmParameter}`)] : []));
  const secrets = refs.flatMap((ref) => ('secretsManager' in ref ? [secretArnPattern(ref.secretsManager)] : []));
  const statements: Statement[] = [];
  // SecureString parameters encrypted with the AWS managed key aws/ssm need no kms:Decrypt grant of their
  // own; a customer managed key's policy must allow the role (documented in the README).
  if (parameters.length > 0) statements.push({ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: parameters });
  if (secrets.length > 0) statements.push({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets });
  return statements;
}

function destinationSecretRefs(config: Config): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const destination of config.logs.destinations) {
    switch (destination.type) {
      case 'http':
      case 'loki':
        if (destination.authorization) refs.push(destination.authorization);
        break;
      case 'splunk':
        refs.push(destination.token);
        break;
      case 'datadog':
        refs.push(destination.apiKey);
        break;
      case 'opensearch':
        if (destination.auth.kind === 'basic') refs.push(destination.auth.password);
        break;
      case 's3':
      case 'firehose':
        break;
    }
  }
  return refs;
}

// A secret given by name has a random six-character suffix in its ARN: IAM needs `-??????` to match it.
function secretArnPattern(nameOrArn: string): Resource {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return sub(`arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${nameOrArn}-??????`);
}
