import { context, fields, header, section } from '../notify/blocks.ts';
import { escapeMrkdwn, inlineCode } from '../notify/escape.ts';
import type { Notification } from '../notify/notifier.ts';
import type { ClusterCreation } from './cluster-creator.ts';

export type CreatorRecordOutcome = 'tagged' | 'already-recorded' | 'dry-run' | 'disabled';

const OUTCOME_TEXT: Record<CreatorRecordOutcome, string> = {
  tagged: 'Creator recorded on the cluster as tags `eksops.io/created-by` and `eksops.io/created-at`.',
  'already-recorded': 'The cluster already names its creator; nothing was changed.',
  'dry-run': 'Dry run: the creator tags were not written.',
  disabled: 'Tagging the creator is turned off (access.tagCreator).',
};

/** The Slack message for a new cluster. Every value that comes from AWS is escaped. */
export function creationNotification(creation: ClusterCreation, outcome: CreatorRecordOutcome): Notification {
  const who = creation.creatorSession ? `${inlineCode(creation.creatorArn)} as ${inlineCode(creation.creatorSession)}` : inlineCode(creation.creatorArn);
  return {
    capability: 'access',
    blocks: [
      header(`New EKS cluster: ${creation.clusterName}`),
      section(`Created by ${who} (${escapeMrkdwn(creation.identityType)})`),
      fields([
        `*Account*\n${escapeMrkdwn(creation.accountId)}`,
        `*Region*\n${escapeMrkdwn(creation.region)}`,
        `*Kubernetes*\n${escapeMrkdwn(creation.version ?? 'default')}`,
        `*Created at*\n${escapeMrkdwn(creation.createdAt)}`,
      ]),
      context([OUTCOME_TEXT[outcome]]),
    ],
  };
}
