import { describe, expect, it } from '@jest/globals';
import { buildRoles, roleLogicalId } from '../../../deploy/iam.ts';
import { fullConfig } from '../../integration/deployment/full-config.ts';

/** The node drain's role, and what the refresh adds to upgradeAdvance for the drain hook: the exact statements. */
type Statement = { Action: string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (config: ReturnType<typeof fullConfig>, name: string) =>
  ((buildRoles(config) as Record<string, { Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } }>)[roleLogicalId(name)]?.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
const GROUPS = { 'Fn::Sub': 'arn:${AWS::Partition}:autoscaling:*:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/*' };
const withoutRefresh = (config: ReturnType<typeof fullConfig>) => ({
  ...config,
  upgrade: { ...config.upgrade, defaults: { ...config.upgrade.defaults, refreshSelfManaged: false } },
  clusters: config.clusters.map((cluster) => ({ ...cluster, ...(cluster.upgrade ? { upgrade: { ...cluster.upgrade, refreshSelfManaged: false } } : {}) })),
});

describe('nodeDrain IAM', () => {
  it('completes and extends lifecycle actions only on groups tagged for a configured cluster, and describes only those clusters', () => {
    const config = fullConfig();
    const statements = statementsOf(config, 'nodeDrain').filter((statement) => !statement.Action.some((action) => action.startsWith('logs:') || action.startsWith('ssm:') || action.startsWith('secretsmanager:') || action === 'sts:AssumeRole' || action === 'sqs:SendMessage'));
    const clusters = [...new Set(config.clusters.map((cluster) => cluster.name))];
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups'], Resource: '*' },
      ...clusters.map((name) => ({ Effect: 'Allow', Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'], Resource: GROUPS, Condition: { StringEquals: { [`autoscaling:ResourceTag/kubernetes.io/cluster/${name}`]: ['owned', 'shared'] } } })),
      { Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: config.clusters.map((cluster) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:eks:${cluster.region ?? config.region}:${cluster.account ?? '${AWS::AccountId}'}:cluster/${cluster.name}` })) },
    ]);
    // Its failed events go to the failure queue.
    expect(statementsOf(config, 'nodeDrain').some((statement) => statement.Action.includes('sqs:SendMessage'))).toBe(true);
  });

  it('gives upgradeAdvance DescribeLifecycleHooks and PutLifecycleHook (tag-scoped) with the refresh, and neither function anything lifecycle without it', () => {
    const advance = statementsOf(fullConfig(), 'upgradeAdvance');
    expect(advance.filter((statement) => statement.Action.includes('autoscaling:DescribeLifecycleHooks'))).toEqual([{ Effect: 'Allow', Action: ['autoscaling:DescribeLifecycleHooks'], Resource: '*' }]);
    const puts = advance.filter((statement) => statement.Action.includes('autoscaling:PutLifecycleHook'));
    expect(puts.length).toBeGreaterThan(0);
    expect(puts.every((statement) => JSON.stringify(statement.Resource) === JSON.stringify(GROUPS) && JSON.stringify(statement.Condition).includes('autoscaling:ResourceTag/kubernetes.io/cluster/'))).toBe(true);

    const off = withoutRefresh(fullConfig());
    const lifecycle = (name: string) => statementsOf(off, name).flatMap((statement) => statement.Action).filter((action) => /Lifecycle|^eks:DescribeCluster$/.test(action));
    expect(lifecycle('upgradeAdvance').filter((action) => action !== 'eks:DescribeCluster')).toEqual([]);
    expect(lifecycle('nodeDrain')).toEqual([]);
  });
});
