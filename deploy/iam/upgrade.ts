import { ACCOUNT_CLUSTERS, type Resource, type Statement, sub } from './statement.ts';

const NODEGROUPS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:nodegroup/*/*/*');
const ADDONS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:addon/*/*/*');
const LOCK_TABLE: Resource = { 'Fn::GetAtt': ['UpgradeLockTable', 'Arn'] };

/**
 * What observe.ts reads. DescribeClusterVersions, DescribeAddonVersions, ec2:DescribeSubnets and
 * autoscaling:DescribeAutoScalingGroups are
 * read-only actions IAM does not scope to a resource (Service Authorization Reference: no resource type).
 */
const OBSERVE: Statement[] = [
  { Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListAddons', 'eks:ListFargateProfiles', 'eks:ListUpdates', 'eks:DescribeUpdate', 'eks:ListInsights', 'eks:DescribeInsight'], Resource: ACCOUNT_CLUSTERS },
  { Effect: 'Allow', Action: ['eks:DescribeNodegroup', 'eks:ListUpdates', 'eks:DescribeUpdate'], Resource: NODEGROUPS },
  { Effect: 'Allow', Action: ['eks:DescribeAddon', 'eks:ListUpdates', 'eks:DescribeUpdate'], Resource: ADDONS },
  { Effect: 'Allow', Action: ['eks:DescribeClusterVersions', 'eks:DescribeAddonVersions', 'ec2:DescribeSubnets', 'autoscaling:DescribeAutoScalingGroups'], Resource: '*' },
];

/** upgrade: what each function calls, on the narrowest resources AWS allows. Keys are serverless.yml function names. */
export const UPGRADE_PERMISSIONS: Record<string, Statement[]> = {
  upgradeBegin: [...OBSERVE, { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: LOCK_TABLE }],
  upgradeAdvance: [
    ...OBSERVE,
    { Effect: 'Allow', Action: ['eks:UpdateClusterVersion'], Resource: ACCOUNT_CLUSTERS },
    { Effect: 'Allow', Action: ['eks:UpdateNodegroupVersion'], Resource: NODEGROUPS },
    { Effect: 'Allow', Action: ['eks:UpdateAddon'], Resource: ADDONS },
  ],
  upgradePoll: [
    { Effect: 'Allow', Action: ['eks:DescribeUpdate'], Resource: [ACCOUNT_CLUSTERS, NODEGROUPS, ADDONS] },
  ],
  upgradeFinish: [{ Effect: 'Allow', Action: ['dynamodb:DeleteItem'], Resource: LOCK_TABLE }],
};

/**
 * Actions of this capability that AWS does not let a policy scope to resources, so they need
 * `"Resource": "*"`; each with the reason. The deployment tests refuse any other mutating action on `*`.
 * None: every mutating call of an upgrade is scoped to the account's clusters, node groups and add-ons.
 */
export const UPGRADE_UNSCOPABLE: Record<string, string> = {};
