import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CREATED_AT_TAG, CREATED_BY_SESSION_TAG, CREATED_BY_TAG, describeCreation, planCreatorTags } from '../../../shared/access/cluster-creator.ts';
import { type CreateClusterEvent, CreateClusterEventSchema } from '../../../shared/access/create-cluster-event.ts';
import { creationNotification } from '../../../shared/access/creation-report.ts';

const sample = JSON.parse(readFileSync('events/cloudtrail-eks-create-cluster.json', 'utf8')) as Record<string, unknown> & { detail: Record<string, unknown> };

function eventWith(detail: Record<string, unknown>): CreateClusterEvent {
  return CreateClusterEventSchema.parse({ ...sample, detail: { ...sample.detail, ...detail } });
}

const ssoSession = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/jane%40example.com',
  principalId: 'AROAEXAMPLE:jane@example.com',
  sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123', userName: 'AWSReservedSSO_Admin_0123' } },
};

describe('who created a cluster', () => {
  it('reads the documentation sample (clusterName, IAM user)', () => {
    expect(describeCreation(CreateClusterEventSchema.parse(sample))).toEqual({
      clusterName: 'test',
      accountId: '111122223333',
      region: 'us-west-2',
      version: '1.10',
      createdAt: '2018-05-28T19:16:43Z',
      creatorArn: 'arn:aws:iam::111122223333:user/username',
      creatorSession: undefined,
      identityType: 'IAMUser',
      sourceIp: '205.251.233.178',
      failed: undefined,
    });
  });

  it('reads the current request field `name` and decodes URL-encoded values', () => {
    const creation = describeCreation(eventWith({ requestParameters: { name: 'prod%2Deu' }, responseElements: null, userIdentity: ssoSession }));
    expect(creation?.clusterName).toBe('prod-eu');
    expect(creation?.creatorArn).toBe('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123');
    expect(creation?.creatorSession).toBe('jane@example.com');
  });

  it('reports a failed CreateCluster call (no cluster exists)', () => {
    const creation = describeCreation(eventWith({ errorCode: 'ResourceInUseException', errorMessage: 'Cluster already exists', responseElements: null }));
    expect(creation?.failed).toEqual({ code: 'ResourceInUseException', message: 'Cluster already exists' });
  });

  it('gives up on an event that names no cluster', () => {
    expect(describeCreation(eventWith({ requestParameters: null, responseElements: null }))).toBeUndefined();
  });
});

describe('creator tags', () => {
  const creation = describeCreation(eventWith({ userIdentity: ssoSession }));
  if (!creation) throw new Error('sample must describe a creation');

  it('records the role, the session and the time', () => {
    expect(planCreatorTags(creation, {})).toEqual({
      [CREATED_BY_TAG]: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123',
      [CREATED_BY_SESSION_TAG]: 'jane@example.com',
      [CREATED_AT_TAG]: '2018-05-28T19:16:43Z',
    });
  });

  it('never rewrites a creator already recorded', () => {
    expect(planCreatorTags(creation, { [CREATED_BY_TAG]: 'someone-else' })).toEqual({});
  });

  it('keeps tag values within what EKS accepts', () => {
    const odd = { ...creation, creatorSession: `bot<${'x'.repeat(300)}>` };
    const value = planCreatorTags(odd, {})[CREATED_BY_SESSION_TAG] ?? '';
    expect(value).toHaveLength(256);
    expect(value).toMatch(/^[\p{L}\p{N} +\-=._:/@]+$/u);
  });
});

describe('the Slack message for a new cluster', () => {
  it('escapes what comes from AWS so nobody can mention @channel through a session name', () => {
    const hostile = describeCreation(eventWith({ userIdentity: { ...ssoSession, arn: 'arn:aws:sts::111122223333:assumed-role/Admin/<!channel> <@U123>' } }));
    if (!hostile) throw new Error('must parse');
    const text = JSON.stringify(creationNotification(hostile, 'tagged').blocks);
    expect(text).not.toMatch(/<!channel>|<@U123>/);
    expect(text).toContain('&lt;!channel&gt;');
  });
});
