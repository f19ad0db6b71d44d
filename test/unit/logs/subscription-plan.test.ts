import { describe, expect, it } from '@jest/globals';
import { planLogging } from '../../../shared/logs/subscriptions/plan.ts';
import type { ClusterLoggingSnapshot, DesiredLogging } from '../../../shared/logs/subscriptions/snapshot.ts';
import { scopeOfTrigger } from '../../../shared/logs/subscriptions/trigger.ts';

const FORWARDER = 'arn:aws:lambda:eu-west-1:111122223333:function:eksops-dev-logForwarder';
const desired: DesiredLogging = { logTypes: ['api', 'audit'], retentionDays: 30, forwarder: { arn: FORWARDER }, filterName: 'eksops-dev' };
const converged: ClusterLoggingSnapshot = { cluster: 'prod', status: 'ACTIVE', enabledTypes: ['api', 'audit', 'scheduler'], logGroup: { retentionInDays: 30 }, filters: [{ filterName: 'eksops-dev', destinationArn: FORWARDER }] };

describe('planning a cluster\'s log shipping', () => {
  it('does nothing for a converged cluster (and never turns off a type someone else enabled)', () => {
    expect(planLogging(converged, desired)).toEqual({ cluster: 'prod', actions: [], waiting: [], conflicts: [] });
  });

  it('pre-creates the log group with retention and KMS key, enables the missing types and subscribes', () => {
    const plan = planLogging({ cluster: 'prod', status: 'ACTIVE', enabledTypes: ['api'], filters: [] }, { ...desired, kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' });
    expect(plan.actions).toEqual([
      { kind: 'create-log-group', logGroup: '/aws/eks/prod/cluster', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' },
      { kind: 'set-retention', logGroup: '/aws/eks/prod/cluster', days: 30 },
      { kind: 'enable-log-types', cluster: 'prod', types: ['audit'] },
      { kind: 'subscribe', logGroup: '/aws/eks/prod/cluster', filterName: 'eksops-dev', destinationArn: FORWARDER },
    ]);
  });

  it('waits while the cluster is not ACTIVE or another update runs, and still does the rest', () => {
    expect(planLogging({ ...converged, status: 'CREATING', enabledTypes: [] }, desired)).toMatchObject({ actions: [], waiting: ['logging waits for the cluster to be ACTIVE (it is CREATING)'] });
    expect(planLogging({ ...converged, enabledTypes: [], updateInProgress: 'u-1', logGroup: { retentionInDays: 7 } }, desired)).toMatchObject({
      actions: [{ kind: 'set-retention', logGroup: '/aws/eks/prod/cluster', days: 30 }],
      waiting: ['logging waits for update u-1 to finish'],
    });
  });

  it('never replaces a filter that is not ours: with two foreign filters it reports a conflict', () => {
    const plan = planLogging({ ...converged, filters: [{ filterName: 'datadog', destinationArn: 'arn:aws:lambda:eu-west-1:111122223333:function:dd' }, { filterName: 'splunk', destinationArn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/s' }] }, desired);
    expect(plan.actions).toEqual([]);
    expect(plan.conflicts).toEqual([expect.stringMatching(/already has 2 subscription filters, none of them eksops's \(datadog → .*, splunk → .*\)/)]);
  });

  it('adds its filter beside one foreign filter, and points its own filter back at the forwarder', () => {
    expect(planLogging({ ...converged, filters: [{ filterName: 'datadog', destinationArn: 'arn:dd' }] }, desired).actions).toEqual([{ kind: 'subscribe', logGroup: '/aws/eks/prod/cluster', filterName: 'eksops-dev', destinationArn: FORWARDER }]);
    expect(planLogging({ ...converged, filters: [{ filterName: 'eksops-dev', destinationArn: 'arn:old' }, { filterName: 'datadog', destinationArn: 'arn:dd' }] }, desired).actions).toEqual([{ kind: 'subscribe', logGroup: '/aws/eks/prod/cluster', filterName: 'eksops-dev', destinationArn: FORWARDER }]);
  });

  it('reports a cluster outside the forwarder\'s account and region instead of subscribing it', () => {
    const plan = planLogging({ ...converged, filters: [] }, { ...desired, forwarder: { unavailable: 'not in the same region' } });
    expect(plan).toMatchObject({ actions: [], conflicts: ['not in the same region'] });
  });

  it('says so when the cluster does not exist', () => {
    expect(planLogging({ cluster: 'gone', enabledTypes: [], filters: [] }, desired)).toEqual({ cluster: 'gone', actions: [], waiting: ['cluster gone does not exist'], conflicts: [] });
  });
});

describe('what starts the subscription manager', () => {
  const cloudTrail = (eventName: string, requestParameters: Record<string, unknown>, errorCode?: string) => ({ source: 'aws.eks', 'detail-type': 'AWS API Call via CloudTrail', region: 'eu-west-1', detail: { eventName, requestParameters, ...(errorCode ? { errorCode } : {}) } });

  it('reads the cluster from UpdateClusterConfig, CreateCluster (both field names) and CreateLogGroup', () => {
    expect(scopeOfTrigger(cloudTrail('UpdateClusterConfig', { name: 'prod' }))).toEqual({ kind: 'cluster', cluster: 'prod', region: 'eu-west-1' });
    expect(scopeOfTrigger(cloudTrail('CreateCluster', { clusterName: 'prod' }))).toEqual({ kind: 'cluster', cluster: 'prod', region: 'eu-west-1' });
    expect(scopeOfTrigger(cloudTrail('CreateLogGroup', { logGroupName: '%2Faws%2Feks%2Fprod%2Fcluster' }))).toEqual({ kind: 'cluster', cluster: 'prod', region: 'eu-west-1' });
  });

  it('covers every cluster on the schedule and ignores failed calls and other log groups with a reason', () => {
    expect(scopeOfTrigger({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).toEqual({ kind: 'all' });
    expect(scopeOfTrigger(cloudTrail('UpdateClusterConfig', { name: 'prod' }, 'InvalidParameterException'))).toEqual({ kind: 'ignore', reason: 'UpdateClusterConfig failed (InvalidParameterException)' });
    expect(scopeOfTrigger(cloudTrail('CreateLogGroup', { logGroupName: '/aws/lambda/x' }))).toMatchObject({ kind: 'ignore', reason: expect.stringMatching(/not an EKS control-plane log group/) });
  });
});
