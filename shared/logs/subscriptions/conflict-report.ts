import { context, header, list } from '../../notify/blocks.ts';
import { escapeMrkdwn } from '../../notify/escape.ts';
import type { Notification } from '../../notify/notifier.ts';

/**
 * The Slack message when eksops cannot subscribe a cluster's log group without touching what is not its own.
 * Filter names and destinations come from the account: escaped.
 */
export function conflictNotification(conflicts: readonly { cluster: string; region: string; conflict: string }[]): Notification {
  return {
    capability: 'logs',
    blocks: [
      header('EKS control-plane logs: subscription conflict'),
      list(conflicts.map((item) => `*${escapeMrkdwn(item.cluster)}* (${escapeMrkdwn(item.region)}): ${escapeMrkdwn(item.conflict)}`)),
      context(['eksops never replaces a subscription filter it did not create. Remove one, and the next run subscribes the forwarder.']),
    ],
  };
}
