import { describe, expect, it } from '@jest/globals';
import { TAGS_PERMISSIONS, TAGS_UNSCOPABLE } from '../../../deploy/iam/tags.ts';

describe('node tags IAM', () => {
  const statements = TAGS_PERMISSIONS.nodeTags ?? [];
  const resourcesOf = (action: string) => statements.filter((statement) => statement.Action.includes(action)).flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]));

  it('lets the function tag only instances, volumes and ENIs, and only ASGs by ARN', () => {
    for (const action of ['ec2:CreateTags', 'ec2:DeleteTags']) {
      expect(resourcesOf(action).map((resource) => JSON.stringify(resource))).toEqual(['instance', 'volume', 'network-interface'].map((type) => JSON.stringify({ 'Fn::Sub': `arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${type}/*` })));
    }
    for (const action of ['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags']) expect(JSON.stringify(resourcesOf(action))).toContain('autoScalingGroupName/*');
  });

  it('puts only Describe calls on "*" and needs no unscopable action', () => {
    const onStar = statements.filter((statement) => statement.Resource === '*').flatMap((statement) => statement.Action);
    expect(onStar.every((action) => /:Describe/.test(action))).toBe(true);
    expect(TAGS_UNSCOPABLE).toEqual({});
  });
});
