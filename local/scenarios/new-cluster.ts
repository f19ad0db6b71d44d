import { CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CREATED_BY_TAG } from '../../shared/access/cluster-creator.ts';
import type { Scenario } from './scenario.ts';
import { sampleEvent } from './sample-events.ts';

/** The first scenario: a CloudTrail event goes through the bus to a handler that changes AWS and posts to Slack. */
export const newCluster: Scenario = {
  name: 'new-cluster',
  title: 'A new cluster is created: eksops records its creator on the cluster and tells Slack',
  async run({ sandbox, step, publish, check }) {
    const event = sampleEvent('cloudtrail-eks-create-cluster.json');
    const eks = sandbox.aws.clients.client(EKSClient, { region: event.region });

    step(`IAM user "username" creates cluster "test" in ${event.region}`);
    await eks.send(new CreateClusterCommand({ name: 'test', version: '1.33', roleArn: 'arn:aws:iam::111122223333:role/eks-cluster', resourcesVpcConfig: { subnetIds: ['subnet-a670c2df', 'subnet-4f8c5004'] } }));

    step('CloudTrail records the call; EventBridge delivers "AWS API Call via CloudTrail"');
    await publish(event);
    const tags = (await eks.send(new DescribeClusterCommand({ name: 'test' }))).cluster?.tags ?? {};
    check('the cluster names its creator', tags[CREATED_BY_TAG] === 'arn:aws:iam::111122223333:user/username');
    check('one message reached Slack', sandbox.slack.messages.length === 1);
    check('the message names the cluster and the creator', /test/.test(sandbox.slack.messages[0]?.body ?? '') && /user\/username/.test(sandbox.slack.messages[0]?.body ?? ''));

    step('EventBridge delivers the same event again (delivery is at least once)');
    await publish(event);
    check('the creator is written once, never rewritten', sandbox.aws.account.changes.filter((change) => change.action === 'TagResource').length === 1);
    check('Slack is told nothing changed', /already names its creator/.test(sandbox.slack.messages[1]?.body ?? ''));
  },
};
