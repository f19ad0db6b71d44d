import { describe, expect, it } from '@jest/globals';
import { SecretRefSchema } from '../../../shared/secrets/secret-ref.ts';
import { SlackSettingsSchema } from '../../../shared/notify/settings.ts';

const issues = (input: unknown) => {
  const result = SlackSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('SecretRefSchema', () => {
  it.each([
    [{ ssmParameter: '/eksops/slack/webhook' }],
    [{ secretsManager: 'eksops/slack' }],
    [{ secretsManager: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eksops/slack-AbCdEf', jsonKey: 'botToken' }],
  ])('accepts %j', (ref) => {
    expect(SecretRefSchema.parse(ref)).toEqual(ref);
  });

  it.each([
    ['an SSM name without the leading slash', { ssmParameter: 'eksops/slack/webhook' }],
    ['jsonKey on an SSM parameter', { ssmParameter: '/eksops/slack', jsonKey: 'url' }],
    ['an unknown key', { secretsManager: 'eksops/slack', jsonkey: 'url' }],
    ['both stores at once', { ssmParameter: '/eksops/slack', secretsManager: 'eksops/slack' }],
    ['an empty secret name', { secretsManager: '' }],
  ])('rejects %s', (_case, ref) => {
    expect(SecretRefSchema.safeParse(ref).success).toBe(false);
  });
});

describe('SlackSettingsSchema', () => {
  it('accepts a webhook', () => {
    expect(issues({ mode: 'webhook', secret: { ssmParameter: '/eksops/slack/webhook' } })).toEqual([]);
  });

  it('accepts a bot with per-capability channels and a mention on failure', () => {
    const settings = {
      mode: 'bot',
      secret: { secretsManager: 'eksops/slack', jsonKey: 'botToken' },
      defaultChannel: '#eks-alerts',
      channels: { scan: 'C0123ABCD', upgrade: '#eks-upgrades' },
      mentionOnFailure: 'S0123ABC',
    };
    expect(SlackSettingsSchema.parse(settings)).toEqual(settings);
  });

  it('requires a default channel in bot mode, saying why', () => {
    expect(issues({ mode: 'bot', secret: { ssmParameter: '/eksops/slack/token' } })).toEqual([
      'defaultChannel: is required in bot mode: chat.postMessage needs a channel for capabilities without their own',
    ]);
  });

  it('rejects channels in webhook mode, which would be silently ignored', () => {
    expect(
      issues({ mode: 'webhook', secret: { ssmParameter: '/eksops/slack/webhook' }, channels: { scan: '#scans' } }),
    ).toEqual(['channels: is only used in bot mode: an incoming webhook posts to the channel it was created for']);
  });

  it('rejects a default channel in webhook mode and an unknown mode', () => {
    expect(issues({ mode: 'webhook', secret: { ssmParameter: '/x' }, defaultChannel: '#a' })).toEqual([
      'defaultChannel: is only used in bot mode: an incoming webhook posts to the channel it was created for',
    ]);
    expect(issues({ mode: 'email', secret: { ssmParameter: '/x' } })).toHaveLength(1);
  });

  it('rejects unknown keys, including an unknown capability', () => {
    expect(issues({ mode: 'webhook', secret: { ssmParameter: '/x' }, webhookUrl: 'https://hooks.slack.com/x' })).toHaveLength(1);
    expect(
      issues({ mode: 'bot', secret: { ssmParameter: '/x' }, defaultChannel: '#a', channels: { scans: '#b' } }),
    ).toHaveLength(1);
  });

  it.each(['S0123ABC', 'U0123ABC', 'W0123ABC'])('accepts %s as the mention on failure', (id) => {
    expect(issues({ mode: 'webhook', secret: { ssmParameter: '/x' }, mentionOnFailure: id })).toEqual([]);
  });

  it.each(['@oncall', '<!channel>', 'here', 'C0123ABC', 's0123abc'])('rejects %s as the mention on failure', (id) => {
    expect(issues({ mode: 'webhook', secret: { ssmParameter: '/x' }, mentionOnFailure: id })).toEqual([
      'mentionOnFailure: must be a Slack user group ID such as S0123ABC or a user ID such as U0123ABC',
    ]);
  });

  it('rejects a channel name Slack would not accept', () => {
    expect(issues({ mode: 'bot', secret: { ssmParameter: '/x' }, defaultChannel: '#EKS Alerts' })).toEqual([
      'defaultChannel: must be a Slack channel ID such as C0123ABCD or a channel name such as #eks-alerts',
    ]);
  });
});
