import { describe, expect, it } from '@jest/globals';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import { forwarderFor, targetClusters } from '../../../shared/logs/subscriptions/targets.ts';

const FORWARDER = 'arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-logForwarder';
const config = ConfigSchema.parse({
  region: 'eu-west-1',
  accounts: [{ id: '444455556666', roleArn: 'arn:aws:iam::444455556666:role/eksops' }],
  clusters: [{ name: 'prod' }, { name: 'prod', region: 'us-east-1' }, { name: 'staging', account: '444455556666' }],
});

describe('targetClusters', () => {
  it('takes every configured cluster for the schedule, each in its Region (the default otherwise) and account', () => {
    expect(targetClusters({ kind: 'all' }, config).map(({ config: _block, ...place }) => place)).toEqual([
      { name: 'prod', region: 'eu-west-1' },
      { name: 'prod', region: 'us-east-1' },
      { name: 'staging', region: 'eu-west-1', accountId: '444455556666' },
    ]);
  });

  it('takes the named cluster in the event Region only, or in every Region when the event has none', () => {
    expect(targetClusters({ kind: 'cluster', cluster: 'prod', region: 'us-east-1' }, config).map((place) => place.region)).toEqual(['us-east-1']);
    expect(targetClusters({ kind: 'cluster', cluster: 'prod' }, config).map((place) => place.region)).toEqual(['eu-west-1', 'us-east-1']);
    expect(targetClusters({ kind: 'cluster', cluster: 'other', region: 'eu-west-1' }, config)).toEqual([]);
  });
});

describe('forwarderFor', () => {
  const [prodHere, prodElsewhere, staging] = targetClusters({ kind: 'all' }, config);

  it('is the forwarder for a cluster of its account and Region', () => {
    expect(prodHere && forwarderFor(prodHere, FORWARDER)).toEqual({ arn: FORWARDER });
    expect(prodHere && forwarderFor({ ...prodHere, accountId: '111122223333' }, FORWARDER)).toEqual({ arn: FORWARDER });
  });

  it('says why not for a cluster of another Region or account (subscriptions deliver only within one)', () => {
    expect(prodElsewhere && forwarderFor(prodElsewhere, FORWARDER)).toEqual({ unavailable: expect.stringContaining('cluster prod (this account, us-east-1) is not in the forwarder') });
    expect(staging && forwarderFor(staging, FORWARDER)).toEqual({ unavailable: expect.stringContaining('cluster staging (444455556666, eu-west-1) is not in the forwarder') });
  });

  it('says the ARN is missing when the function was deployed without it', () => {
    expect(prodHere && forwarderFor(prodHere, undefined)).toEqual({ unavailable: expect.stringContaining('EKSOPS_LOG_FORWARDER_ARN') });
    expect(prodHere && forwarderFor(prodHere, '')).toEqual({ unavailable: expect.stringContaining('EKSOPS_LOG_FORWARDER_ARN') });
  });
});
