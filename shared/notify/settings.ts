import * as z from 'zod';
import { SecretRefSchema } from '../secrets/secret-ref.ts';

/**
 * How eksops reaches Slack, as written in eksops.config.yml. Every object is strict: an unknown key is an
 * error, so a typo fails validation instead of silently sending nowhere.
 */


export const SLACK_CAPABILITIES = ['scan', 'tags', 'upgrade', 'logs', 'access'] as const;
export const SlackCapabilitySchema = z.enum(SLACK_CAPABILITIES);
export type SlackCapability = z.infer<typeof SlackCapabilitySchema>;

// chat.postMessage takes a conversation ID (C…, G… for old private channels, D… for DMs) or a channel name.
// Channel names are lower case, at most 80 characters, without spaces or periods.
const slackChannel = (whenMissing?: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? whenMissing : undefined) })
    .regex(
      /^([CGD][A-Z0-9]{6,}|#?[\p{Ll}\p{Lo}\p{N}_-]{1,80})$/u,
      'must be a Slack channel ID such as C0123ABCD or a channel name such as #eks-alerts',
    );
const SlackChannel = slackChannel();

/** A user group (S…) or a user (U…, or W… on Enterprise Grid) to mention on failures. */
export const SlackMentionIdSchema = z
  .string()
  .regex(/^[SUW][A-Z0-9]{6,20}$/, 'must be a Slack user group ID such as S0123ABC or a user ID such as U0123ABC');

const ChannelOverrides = z.strictObject({
  scan: SlackChannel.optional(),
  tags: SlackChannel.optional(),
  upgrade: SlackChannel.optional(),
  logs: SlackChannel.optional(),
  access: SlackChannel.optional(),
} satisfies Record<SlackCapability, z.ZodOptional<typeof SlackChannel>>);

// An incoming webhook always posts to the channel chosen when it was installed: a channel written in webhook
// mode would be silently ignored, so it is an error instead.
const botModeOnly = z.never({
  error: 'is only used in bot mode: an incoming webhook posts to the channel it was created for',
});

const WebhookSettings = z.strictObject({
  mode: z.literal('webhook'),
  /** An SSM parameter or secret holding the incoming-webhook URL. */
  secret: SecretRefSchema,
  defaultChannel: botModeOnly.optional(),
  channels: botModeOnly.optional(),
  mentionOnFailure: SlackMentionIdSchema.optional(),
});

const BotSettings = z.strictObject({
  mode: z.literal('bot'),
  /** An SSM parameter or secret holding the xoxb- bot token (scope chat:write). */
  secret: SecretRefSchema,
  defaultChannel: slackChannel(
    'is required in bot mode: chat.postMessage needs a channel for capabilities without their own',
  ),
  /** Per-capability channels; a capability without one posts to defaultChannel. */
  channels: ChannelOverrides.optional(),
  mentionOnFailure: SlackMentionIdSchema.optional(),
});

export const SlackSettingsSchema = z.discriminatedUnion('mode', [WebhookSettings, BotSettings]);
export type SlackSettings = z.infer<typeof SlackSettingsSchema>;
