import { type Config, ConfigSchema } from '../../../shared/config/schema.ts';

/**
 * A configuration with every capability on (Slack, approvals, another account with an external ID, every kind
 * of secret-bearing and AWS-service destination, the instance refresh of self-managed groups).
 */
export const DOMAIN_ARN = 'arn:aws:es:eu-west-1:111111111111:domain/eks-logs';
export const COLLECTION_ARN = 'arn:aws:aoss:eu-west-1:111111111111:collection/abc123def456';
export const NODE_ROLE = 'arn:aws:iam::111111111111:role/eks-self-managed-nodes';
export const CROSS_ROLE = 'arn:aws:iam::222222222222:role/eksops';

export function fullConfig(): Config {
  const input = {
    region: 'eu-west-1',
    accounts: [{ id: '222222222222', roleArn: CROSS_ROLE, externalId: { ssmParameter: '/eksops/external-id' } }],
    clusters: [
      { name: 'prod', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', durationMinutes: 120 }, upgrade: { refreshSelfManaged: true } },
      { name: 'other', account: '222222222222', region: 'us-east-1', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', durationMinutes: 120 } },
    ],
    notify: { slack: { mode: 'webhook', secret: { ssmParameter: '/eksops/slack' } } },
    upgrade: { enabled: true, nodeRoleArns: [NODE_ROLE], approvals: { signingSecret: { secretsManager: 'eksops/slack-signing' }, approvers: ['U0123ABCD'] } },
    logs: {
      enabled: true,
      destinations: [
        { name: 'splunk', type: 'splunk', url: 'https://splunk.example.com', token: { secretsManager: 'eksops/splunk' } },
        { name: 'search', type: 'opensearch', url: 'https://search-eks-logs-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com', auth: { kind: 'sigv4', resourceArn: DOMAIN_ARN } },
        { name: 'aoss', type: 'opensearch', url: 'https://abc123def456.eu-west-1.aoss.amazonaws.com', auth: { kind: 'sigv4', service: 'aoss', resourceArn: COLLECTION_ARN } },
      ],
    },
  };
  return ConfigSchema.parse(input);
}

