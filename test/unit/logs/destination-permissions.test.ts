import { describe, expect, it } from '@jest/globals';
import { domainOf, logsDestinationPermissions } from '../../../deploy/iam/logs.ts';
import { ConfigSchema } from '../../../shared/config/schema.ts';

const DOMAIN_ARN = 'arn:aws:es:eu-west-1:111122223333:domain/eks-logs';

function logsWith(destinations: unknown[]) {
  // SigV4 names the exact domain it signs for (auth.resourceArn).
  const withArn = destinations.map((destination) => {
    const auth = (destination as { auth?: { kind?: string } }).auth;
    return auth?.kind === 'sigv4' ? { ...(destination as object), auth: { ...auth, resourceArn: DOMAIN_ARN } } : destination;
  });
  return ConfigSchema.parse({ region: 'eu-west-1', clusters: [{ name: 'prod' }], logs: { enabled: true, destinations: withArn } });
}

describe('permissions for the configured destinations', () => {
  it('grants exactly the bucket prefix, the delivery stream and the OpenSearch domain, to the forwarder and the replay', () => {
    const permissions = logsDestinationPermissions(
      logsWith([
        { name: 'archive', type: 's3', bucket: 'eks-archive', prefix: 'eks/' },
        { name: 'fh', type: 'firehose', deliveryStream: 'eks-logs' },
        { name: 'search', type: 'opensearch', url: 'https://search-eks-logs-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com', auth: { kind: 'sigv4' } },
        { name: 'basic', type: 'opensearch', url: 'https://search.example.com', auth: { kind: 'basic', username: 'u', password: { ssmParameter: '/p' } } },
        { name: 'h', type: 'http', url: 'https://logs.example.com' },
      ]),
    );
    expect(Object.keys(permissions).sort()).toEqual(['logForwarder', 'logReplay']);
    expect(permissions.logForwarder).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::eks-archive/eks/*' } },
      { Effect: 'Allow', Action: ['firehose:PutRecordBatch'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/eks-logs' } },
      { Effect: 'Allow', Action: ['es:ESHttpPost', 'es:ESHttpPut'], Resource: `${DOMAIN_ARN}/*` },
    ]);
  });

  it('needs nothing for HTTP destinations, whose credentials are secrets', () => {
    expect(logsDestinationPermissions(logsWith([{ name: 'h', type: 'http', url: 'https://logs.example.com' }]))).toEqual({});
  });

  it('reads the domain name from the endpoint, or falls back to every domain of the account', () => {
    expect(domainOf('https://vpc-prod-logs-0123456789abcdefghijklmnop.us-east-1.es.amazonaws.com')).toBe('prod-logs');
    expect(domainOf('https://search.internal.example.com')).toBe('*');
  });
});
