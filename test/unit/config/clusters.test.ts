import { describe, expect, it } from '@jest/globals';
import { resolveCluster, resolvedClusters } from '../../../shared/config/clusters.ts';
import type { ClusterConfig } from '../../../shared/config/schema.ts';

const OWN = '111111111111';
const OTHER = '222222222222';

function cluster(fields: { name: string; region?: string; account?: string }): ClusterConfig {
  return { requiredTags: {}, ...fields } as ClusterConfig;
}

const config = {
  region: 'eu-west-1',
  clusters: [cluster({ name: 'prod' }), cluster({ name: 'prod', region: 'us-east-1' }), cluster({ name: 'prod', account: OTHER }), cluster({ name: 'staging', account: OWN })],
};

describe('resolveCluster', () => {
  it('finds nothing in an empty configuration, or for an unknown name', () => {
    expect(resolveCluster({ region: 'eu-west-1', clusters: [] }, 'prod')).toBeUndefined();
    expect(resolveCluster(config, 'dev')).toBeUndefined();
  });

  it('defaults the Region to the configuration’s and leaves the own account absent (never "self")', () => {
    const resolved = resolveCluster(config, 'prod');
    expect(resolved).toEqual({ name: 'prod', region: 'eu-west-1', config: config.clusters[0] });
    expect(resolved).not.toHaveProperty('accountId');
  });

  it('looks in the Region asked for', () => {
    expect(resolveCluster(config, 'prod', { region: 'us-east-1' })?.config).toBe(config.clusters[1]);
    expect(resolveCluster(config, 'prod', { region: 'ap-south-1' })).toBeUndefined();
  });

  it('prefers the cluster configured with the event’s account over an own-account one of the same name', () => {
    expect(resolveCluster(config, 'prod', { region: 'eu-west-1', accountId: OTHER })).toMatchObject({ accountId: OTHER, config: config.clusters[2] });
  });

  it('answers for another account with an own-account cluster only while the own account ID is unknown', () => {
    expect(resolveCluster(config, 'prod', { region: 'us-east-1', accountId: '333333333333' })?.config).toBe(config.clusters[1]);
    expect(resolveCluster(config, 'prod', { region: 'us-east-1', accountId: '333333333333', ownAccountId: OWN })).toBeUndefined();
    expect(resolveCluster(config, 'prod', { region: 'us-east-1', accountId: OWN, ownAccountId: OWN })?.config).toBe(config.clusters[1]);
  });

  it('gives a cluster configured with the deployment’s own ID an absent account when that ID is known', () => {
    expect(resolveCluster(config, 'staging')).toMatchObject({ accountId: OWN });
    expect(resolveCluster(config, 'staging', { accountId: OWN, ownAccountId: OWN })).not.toHaveProperty('accountId');
  });
});

describe('resolvedClusters', () => {
  it('resolves every cluster, or those named, in configuration order', () => {
    expect(resolvedClusters(config).map((c) => [c.name, c.region, c.accountId])).toEqual([
      ['prod', 'eu-west-1', undefined],
      ['prod', 'us-east-1', undefined],
      ['prod', 'eu-west-1', OTHER],
      ['staging', 'eu-west-1', OWN],
    ]);
    expect(resolvedClusters(config, ['staging']).map((c) => c.name)).toEqual(['staging']);
    expect(resolvedClusters(config, [])).toEqual([]);
  });
});
