import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { SecretReadError } from '../../../shared/secrets/secret-reader.ts';
import { SlackSettingsSchema } from '../../../shared/notify/settings.ts';
import { slackTransportFor } from '../../../shared/notify/slack-client.ts';

const webhookSettings = SlackSettingsSchema.parse({ mode: 'webhook', secret: { ssmParameter: '/eksops/slack/webhook' } });
const botSettings = SlackSettingsSchema.parse({
  mode: 'bot',
  secret: { secretsManager: 'eksops/slack', jsonKey: 'botToken' },
  defaultChannel: '#eks-alerts',
  channels: { scan: '#eks-scans' },
});

function shapeError(run: () => unknown): SecretReadError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretReadError) return error;
    throw error;
  }
  throw new Error('expected a SecretReadError');
}

describe('slackTransportFor', () => {
  it('makes a webhook transport from an https URL', () => {
    const url = 'https://hooks.slack.com/services/T0001/B0001/abc';
    expect(slackTransportFor(webhookSettings, url)).toEqual({ kind: 'webhook', url });
  });

  it('accepts plain http only to this machine, for the sandbox', () => {
    expect(slackTransportFor(webhookSettings, 'http://127.0.0.1:4000/services/T/B/x').kind).toBe('webhook');
    expect(shapeError(() => slackTransportFor(webhookSettings, 'http://hooks.slack.com/services/T/B/x')).reason).toBe(
      'wrong-shape',
    );
  });

  it('makes a bot transport with the configured channels', () => {
    expect(slackTransportFor(botSettings, 'xoxb-1-2-abc', 'http://127.0.0.1:4000/api/')).toEqual({
      kind: 'bot',
      token: 'xoxb-1-2-abc',
      defaultChannel: '#eks-alerts',
      channels: { scan: '#eks-scans' },
      apiBaseUrl: 'http://127.0.0.1:4000/api/',
    });
  });

  it('refuses a bot token configured as a webhook, without printing it', () => {
    const error = shapeError(() => slackTransportFor(webhookSettings, 'xoxb-1-2-s3cr3t'));

    expect(error.message).toBe(
      'Cannot read the secret from SSM parameter /eksops/slack/webhook: the value is not an https:// incoming-webhook URL',
    );
    expect(inspect(error)).not.toContain('s3cr3t');
  });

  it('refuses a webhook URL or a user token configured as a bot token, without printing it', () => {
    for (const value of ['https://hooks.slack.com/services/T/B/s3cr3t', 'xoxp-1-2-s3cr3t']) {
      const error = shapeError(() => slackTransportFor(botSettings, value));
      expect(error.message).toBe(
        'Cannot read the secret from Secrets Manager secret eksops/slack: the value is not a bot token (xoxb-…)',
      );
      expect(inspect(error)).not.toContain('s3cr3t');
    }
  });
});
