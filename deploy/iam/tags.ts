import { ACCOUNT_CLUSTERS, type Statement, sub } from './statement.ts';

// EC2 CreateTags/DeleteTags accept resource-level permissions per resource type (Service Authorization
// Reference, "Actions defined by Amazon EC2"): the role may tag instances, volumes and ENIs, and nothing
// else (no AMIs, security groups, VPCs...). Any Region, since clusters may live in several.
const EC2_NODE_RESOURCES = ['instance', 'volume', 'network-interface'].map((type) => sub(`arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${type}/*`));
// Auto Scaling tag writes are scoped to groups by ARN.
const ACCOUNT_ASGS = sub('arn:${AWS::Partition}:autoscaling:*:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/*');
const ACCOUNT_NODEGROUPS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:nodegroup/*/*/*');
// Only the EBS CSI driver add-on is read (for the multi-AZ lint).
const EBS_CSI_ADDONS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:addon/*/aws-ebs-csi-driver/*');

/** tags: what each function calls, on the narrowest resources AWS allows. Keys are serverless.yml function names. */
export const TAGS_PERMISSIONS: Record<string, Statement[]> = {
  nodeTags: [
    { Effect: 'Allow', Action: ['eks:ListNodegroups'], Resource: ACCOUNT_CLUSTERS },
    { Effect: 'Allow', Action: ['eks:DescribeNodegroup'], Resource: ACCOUNT_NODEGROUPS },
    { Effect: 'Allow', Action: ['eks:DescribeAddon'], Resource: EBS_CSI_ADDONS },
    // Describe* of EC2 and Auto Scaling support no resource-level permissions: read-only, on "*".
    { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeNetworkInterfaces', 'autoscaling:DescribeAutoScalingGroups'], Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags'], Resource: EC2_NODE_RESOURCES },
    { Effect: 'Allow', Action: ['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'], Resource: ACCOUNT_ASGS },
    // The key of the managed-tag record (serverless/tags.resources.yml), this function's alone.
    { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: { Ref: 'TagRecordKeySecret' } },
  ],
};

/**
 * Actions of this capability that AWS does not let a policy scope to resources, so they need
 * `"Resource": "*"`; each with the reason. The deployment tests refuse any other mutating action on `*`.
 * None: every write of the reconciler is scoped (above); its `*` statements are Describe calls only.
 */
export const TAGS_UNSCOPABLE: Record<string, string> = {};
