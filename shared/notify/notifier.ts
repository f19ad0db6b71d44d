import type { Block } from './blocks.ts';
import type { SlackCapability } from './settings.ts';

export interface Notification {
  capability: SlackCapability;
  /** Built with the builders of blocks.ts; untrusted text escaped with escape.ts. */
  blocks: Block[];
  /** The notification text (push notifications, screen readers), mrkdwn: escape untrusted values. Built from the blocks when omitted. */
  text?: string;
}

/** What cores depend on to tell people what happened; Slack in production, the Slack sink in the sandbox. */
export interface Notifier {
  send(notification: Notification): Promise<void>;
}

/** When no Slack is configured: nothing is sent, and the logs still say what happened. */
export const silentNotifier: Notifier = { send: async () => {} };
