import type { Config } from '../../shared/config/schema.ts';
import { clusterUpgradeConfig } from '../../shared/upgrade/settings.ts';
import { ACCOUNT_CLUSTERS, configuredClusterArns, type Resource, type Statement, sub } from './statement.ts';

const NODEGROUPS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:nodegroup/*/*/*');
const ADDONS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:addon/*/*/*');
const LOCK_TABLE: Resource = { 'Fn::GetAtt': ['UpgradeLockTable', 'Arn'] };
// Self-managed groups (shared/upgrade/act-refresh.ts). Public parameters have no account in their ARN.
const EKS_AMI_PARAMETERS = [sub('arn:${AWS::Partition}:ssm:*::parameter/aws/service/eks/optimized-ami/*'), sub('arn:${AWS::Partition}:ssm:*::parameter/aws/service/bottlerocket/*')];
const LAUNCH_TEMPLATES = sub('arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:launch-template/*');
const LAUNCH_TEMPLATE_PATTERN = LAUNCH_TEMPLATES;
const AUTO_SCALING_GROUPS = sub('arn:${AWS::Partition}:autoscaling:*:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/*');
/** The resource types RunInstances authorizes in the account (Service Authorization Reference, Amazon EC2). */
const RUN_INSTANCES_RESOURCES = ['instance', 'volume', 'network-interface', 'security-group', 'subnet', 'key-pair', 'launch-template', 'placement-group', 'elastic-gpu', 'capacity-reservation'].map((type) =>
  sub(`arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${type}/*`),
);
const LAUNCHED_RESOURCES = ['instance', 'volume', 'network-interface'].map((type) => sub(`arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${type}/*`));

/**
 * What observe.ts reads. DescribeClusterVersions, DescribeAddonVersions, ec2:DescribeSubnets,
 * ec2:DescribeLaunchTemplateVersions, ec2:DescribeImages, ec2:DescribeInstances, autoscaling:DescribeAutoScalingGroups
 * and autoscaling:DescribeInstanceRefreshes are read-only actions IAM does not scope to a resource (Service
 * Authorization Reference: no resource type). ssm:GetParameters reads only the public EKS AMI parameters.
 */
const OBSERVE: Statement[] = [
  { Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListAddons', 'eks:ListFargateProfiles', 'eks:ListUpdates', 'eks:DescribeUpdate', 'eks:ListInsights', 'eks:DescribeInsight'], Resource: ACCOUNT_CLUSTERS },
  { Effect: 'Allow', Action: ['eks:DescribeNodegroup', 'eks:ListUpdates', 'eks:DescribeUpdate'], Resource: NODEGROUPS },
  { Effect: 'Allow', Action: ['eks:DescribeAddon', 'eks:ListUpdates', 'eks:DescribeUpdate'], Resource: ADDONS },
  {
    Effect: 'Allow',
    Action: ['eks:DescribeClusterVersions', 'eks:DescribeAddonVersions', 'ec2:DescribeSubnets', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes'],
    Resource: '*',
  },
  { Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: EKS_AMI_PARAMETERS },
];

/**
 * The instance refresh of a self-managed group: a launch template version (the account's templates) and the
 * refresh (the account's groups). A refresh whose desired configuration is a launch template is checked like an
 * update of the group to it (Auto Scaling user guide, "Control Amazon EC2 launch template usage in Auto Scaling
 * groups"; "Amazon EC2 Auto Scaling API permissions"): the caller must be allowed ec2:RunInstances with it, to pass
 * the node role of its instance profile to EC2, and to tag at launch when it has tag specifications. Those are
 * scoped to the account's EC2 resources and roles, AWS's public AMIs and snapshots, EC2 as the role's receiver,
 * and tagging only as part of RunInstances.
 */
function refreshStatements(config: Config): Statement[] {
  return [
    { Effect: 'Allow', Action: ['ec2:CreateLaunchTemplateVersion'], Resource: LAUNCH_TEMPLATES },
    { Effect: 'Allow', Action: ['autoscaling:StartInstanceRefresh'], Resource: AUTO_SCALING_GROUPS },
    // eksops's drain hook, put before each refresh (drain/hook.ts). DescribeLifecycleHooks has no resource type
    // (Service Authorization Reference, Amazon EC2 Auto Scaling); PutLifecycleHook is scoped to the groups of the
    // configured clusters by their kubernetes.io/cluster/<name> tag.
    { Effect: 'Allow', Action: ['autoscaling:DescribeLifecycleHooks'], Resource: '*' },
    ...clusterTaggedGroups(config, ['autoscaling:PutLifecycleHook']),
    // Only launches from one of the account's launch templates (ec2:LaunchTemplate applies to every resource
    // type of the request), on the resource types RunInstances names, with AWS's public AMIs and snapshots.
    {
      Effect: 'Allow',
      Action: ['ec2:RunInstances'],
      Resource: [...RUN_INSTANCES_RESOURCES, sub('arn:${AWS::Partition}:ec2:*::image/*'), sub('arn:${AWS::Partition}:ec2:*::snapshot/*')],
      Condition: { ArnLike: { 'ec2:LaunchTemplate': LAUNCH_TEMPLATE_PATTERN } },
    },
    // Tagging only as part of RunInstances, on what it creates.
    { Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: LAUNCHED_RESOURCES, Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } } },
    // The self-managed nodes' roles named in upgrade.nodeRoleArns, to EC2 only.
    ...(nodeRoleArns(config).length > 0 ? [{ Effect: 'Allow' as const, Action: ['iam:PassRole'], Resource: nodeRoleArns(config), Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }] : []),
  ];
}

/**
 * An action on the Auto Scaling groups of the configured clusters only: one statement per cluster, matching its
 * `kubernetes.io/cluster/<name>` tag (owned or shared) with autoscaling:ResourceTag, which the group actions support.
 */
function clusterTaggedGroups(config: Config, actions: string[]): Statement[] {
  return [...new Set(config.clusters.map((cluster) => cluster.name))].map((name) => ({
    Effect: 'Allow' as const,
    Action: actions,
    Resource: AUTO_SCALING_GROUPS,
    Condition: { StringEquals: { [`autoscaling:ResourceTag/kubernetes.io/cluster/${name}`]: ['owned', 'shared'] } },
  }));
}

/**
 * nodeDrain (shared/upgrade/drain): completing (and extending) the lifecycle actions of eksops's hook on the
 * configured clusters' groups, and DescribeCluster of those clusters for the Kubernetes endpoint and token. Only
 * when a cluster opts in to refreshSelfManaged: no hook is ever put otherwise.
 */
function drainStatements(config: Config): Statement[] {
  return [
    ...clusterTaggedGroups(config, ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat']),
    { Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: configuredClusterArns(config) },
  ];
}

function nodeRoleArns(config: Config): string[] {
  return config.upgrade.nodeRoleArns.filter((arn) => !arn.includes('*'));
}

/**
 * What the configuration adds: the instance refresh (launching instances, passing their node role) only when
 * a cluster opts in with refreshSelfManaged.
 */
export function upgradeConfigPermissions(config: Config): Record<string, Statement[]> {
  const refreshes = config.upgrade.enabled && config.clusters.some((cluster) => clusterUpgradeConfig(config, cluster.name, cluster.region)?.settings.refreshSelfManaged);
  const advance: Statement[] = [];
  // Changing a cluster, its node groups and add-ons: the configured clusters only.
  if (config.clusters.length > 0) {
    advance.push(
      // StartInsightsRefresh: before a hop whose insights predate the previous one (plan.ts, refresh-insights).
      { Effect: 'Allow', Action: ['eks:UpdateClusterVersion', 'eks:StartInsightsRefresh'], Resource: configuredClusterArns(config) },
      { Effect: 'Allow', Action: ['eks:UpdateNodegroupVersion'], Resource: configuredClusterArns(config, 'nodegroup') },
      { Effect: 'Allow', Action: ['eks:UpdateAddon'], Resource: configuredClusterArns(config, 'addon') },
    );
  }
  if (refreshes) advance.push(...refreshStatements(config));
  return { ...(advance.length > 0 ? { upgradeAdvance: advance } : {}), ...(refreshes ? { nodeDrain: drainStatements(config) } : {}) };
}

/** upgrade: what each function calls, on the narrowest resources AWS allows. Keys are serverless.yml function names. */
export const UPGRADE_PERMISSIONS: Record<string, Statement[]> = {
  upgradeBegin: [...OBSERVE, { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: LOCK_TABLE }],
  upgradeAdvance: [
    ...OBSERVE,
    // The updates themselves, on the configured clusters: upgradeConfigPermissions.
  ],
  upgradePoll: [
    { Effect: 'Allow', Action: ['eks:DescribeUpdate'], Resource: [ACCOUNT_CLUSTERS, NODEGROUPS, ADDONS] },
    // The on-demand insights refresh a hop may wait for (act.ts pollInsightsRefresh).
    { Effect: 'Allow', Action: ['eks:DescribeInsightsRefresh'], Resource: ACCOUNT_CLUSTERS },
    { Effect: 'Allow', Action: ['autoscaling:DescribeInstanceRefreshes'], Resource: '*' },
  ],
  upgradeFinish: [{ Effect: 'Allow', Action: ['dynamodb:DeleteItem'], Resource: LOCK_TABLE }],
  // The node drain reads the group's tags (its cluster) and instances (their zone); DescribeAutoScalingGroups has no
  // resource type. Completing the lifecycle action and DescribeCluster: upgradeConfigPermissions (configured clusters).
  nodeDrain: [{ Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups'], Resource: '*' }],
  // The approval gate (shared/upgrade/approval/): the request keeps the task token in the upgrade table,
  // the function URL records the decision once and answers the token. Its signing secret: deploy/iam.ts.
  upgradeApprovalRequest: [{ Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: LOCK_TABLE }],
  upgradeApproval: [
    { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: LOCK_TABLE },
    { Effect: 'Allow', Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'], Resource: '*' },
  ],
};

/**
 * Actions of this capability that AWS does not let a policy scope to resources, so they need
 * `"Resource": "*"`; each with the reason. The deployment tests refuse any other mutating action on `*`.
 */
export const UPGRADE_UNSCOPABLE: Record<string, string> = {
  'states:SendTaskSuccess': 'a callback is authorized by its task token, not a resource: Step Functions denies it when the policy names the state machine',
  'states:SendTaskFailure': 'a callback is authorized by its task token, not a resource: Step Functions denies it when the policy names the state machine',
};
