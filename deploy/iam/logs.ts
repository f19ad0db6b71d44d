import type { Config } from '../../shared/config/schema.ts';
import { ACCOUNT_CLUSTERS, configuredClusterArns, type Statement, sub } from './statement.ts';

/** The failure store bucket (serverless/logs.resources.yml) and its objects. */
const FAILURE_BUCKET_OBJECTS = sub('${LogsFailureBucket.Arn}/*');
const FAILURE_BUCKET = { 'Fn::GetAtt': ['LogsFailureBucket', 'Arn'] as [string, string] };
/** EKS control-plane log groups only: the subscription manager never touches any other log group. */
const EKS_LOG_GROUPS = sub('arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:/aws/eks/*');

/** logs: what each function calls, on the narrowest resources AWS allows. Keys are serverless.yml function names. */
export const LOGS_PERMISSIONS: Record<string, Statement[]> = {
  // The failure store only; destinations that are AWS services: logsDestinationPermissions below.
  logForwarder: [
    { Effect: 'Allow', Action: ['s3:PutObject'], Resource: FAILURE_BUCKET_OBJECTS },
  ],
  // Replay reads, rewrites (what is still undelivered) and deletes failure-store objects.
  logReplay: [
    { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: FAILURE_BUCKET },
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: FAILURE_BUCKET_OBJECTS },
  ],
  logSubscriptions: [
    // eks:UpdateClusterConfig (turning control-plane logging on): the configured clusters only, logsConfigPermissions.
    { Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:ListUpdates', 'eks:DescribeUpdate'], Resource: ACCOUNT_CLUSTERS },
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey', 'logs:PutSubscriptionFilter', 'logs:DescribeSubscriptionFilters'],
      Resource: [EKS_LOG_GROUPS, sub('arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:/aws/eks/*:*')],
    },
    // DescribeLogGroups takes no resource type (Service Authorization Reference: "*" only; the prefix is a
    // filter, not a resource); it is read-only.
    { Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
  ],
};

/**
 * Actions of this capability that AWS does not let a policy scope to resources, so they need
 * `"Resource": "*"`; each with the reason. The deployment tests refuse any other mutating action on `*`.
 * None: every action above is scoped to EKS log groups, the account's clusters or the failure store.
 */
export const LOGS_UNSCOPABLE: Record<string, string> = {};

/**
 * What the configured destinations need, added to the functions that send to them (the forwarder and the
 * replay); deploy/iam.ts adds them to those functions' roles.
 * - s3: PutObject under the destination's prefix;
 * - firehose: PutRecordBatch on the delivery stream;
 * - opensearch with SigV4: ESHttpPost on the domain's _bulk (the domain is read from the endpoint name,
 *   `search-<domain>-<id>.<region>.es.amazonaws.com`), or the collection's API for OpenSearch Serverless.
 */
/** What the configuration adds to log-subscriptions: turning logging on, on the configured clusters only. */
export function logsConfigPermissions(config: Config): Record<string, Statement[]> {
  return config.clusters.length > 0 ? { logSubscriptions: [{ Effect: 'Allow', Action: ['eks:UpdateClusterConfig'], Resource: configuredClusterArns(config) }] } : {};
}

export function logsDestinationPermissions(config: Pick<Config, 'logs'>): Record<string, Statement[]> {
  const statements: Statement[] = [];
  for (const destination of config.logs.destinations) {
    switch (destination.type) {
      case 's3':
        statements.push({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: sub(`arn:\${AWS::Partition}:s3:::${destination.bucket}/${destination.prefix}*`) });
        break;
      case 'firehose':
        statements.push({ Effect: 'Allow', Action: ['firehose:PutRecordBatch'], Resource: sub(`arn:\${AWS::Partition}:firehose:\${AWS::Region}:\${AWS::AccountId}:deliverystream/${destination.deliveryStream}`) });
        break;
      case 'opensearch':
        if (destination.auth.kind !== 'sigv4') break;
        {
          // The configured ARN exactly: never a guess from the endpoint name, never `domain/*` or `collection/*`.
          const { resourceArn } = destination.auth;
          if (destination.auth.service === 'aoss') statements.push({ Effect: 'Allow', Action: ['aoss:APIAccessAll'], Resource: resourceArn });
          else statements.push({ Effect: 'Allow', Action: ['es:ESHttpPost', 'es:ESHttpPut'], Resource: `${resourceArn}/*` });
        }
        break;
      default:
        break;
    }
  }
  return statements.length > 0 ? { logForwarder: statements, logReplay: statements } : {};
}

/** `https://search-eks-logs-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com` → `eks-logs`; else `*`. */
export function domainOf(url: string): string {
  return /^(?:search|vpc)-(.+)-[a-z0-9]{26}\.[a-z0-9-]+\.es\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1] ?? '*';
}
