import { randomUUID } from 'node:crypto';
import { slackSignature } from '../../shared/notify/slack-interaction.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { SlackSinkMessage } from './slack-sink.ts';

/**
 * Slack's side of a button click, for the sandbox and tests: the `block_actions` payload Slack would post to
 * the app's Interactivity Request URL, form-encoded and signed with the app's signing secret, delivered as
 * the Lambda function URL event (payload format 2.0) the function receives.
 */
export const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret-8f2c1e0b5d7a4c3e9b6f';
export const SANDBOX_RESPONSE_URL_BASE = 'https://hooks.slack.com/actions/T0SANDBOX/';

export interface Click {
  message: SlackSinkMessage;
  actionId: string;
  /** The Slack user ID of who clicks. */
  userId: string;
  clock: Clock;
  /** Overrides, to play an attacker or a broken client. */
  signingSecret?: string;
  /** Seconds between signing and delivery (a replayed request). */
  delaySeconds?: number;
  /** Changes the body after it was signed (a tampered request). */
  body?: (formBody: string) => string;
  /** Signs and sends this form body instead of the click's (a signed request that is not a click). */
  signedBody?: string;
  base64?: boolean;
}

export function buttonValue(message: SlackSinkMessage, actionId: string): string {
  for (const block of message.blocks) {
    if (!isRecord(block) || block['type'] !== 'actions' || !Array.isArray(block['elements'])) continue;
    for (const element of block['elements']) {
      if (isRecord(element) && element['action_id'] === actionId && typeof element['value'] === 'string') return element['value'];
    }
  }
  throw new Error(`the message has no button ${actionId}`);
}

/** The function URL event of a click on `actionId` in `message`. */
export function clickEvent(click: Click): Record<string, unknown> {
  const payload = {
    type: 'block_actions',
    user: { id: click.userId, username: click.userId.toLowerCase(), name: click.userId.toLowerCase() },
    api_app_id: 'A0SANDBOX',
    container: { type: 'message', message_ts: click.message.ts, channel_id: click.message.channel },
    trigger_id: `${Date.now()}.sandbox`,
    response_url: `${SANDBOX_RESPONSE_URL_BASE}${randomUUID()}`,
    actions: [{ type: 'button', action_id: click.actionId, block_id: 'b', value: buttonValue(click.message, click.actionId), action_ts: String(click.clock.now().getTime() / 1000) }],
  };
  const formBody = click.signedBody ?? `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const signedAt = Math.floor(click.clock.now().getTime() / 1000) - (click.delaySeconds ?? 0);
  const signature = slackSignature(click.signingSecret ?? SANDBOX_SIGNING_SECRET, String(signedAt), formBody);
  const body = click.body ? click.body(formBody) : formBody;
  const now = click.clock.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(signedAt),
      'x-slack-signature': signature,
      host: 'sandbox.lambda-url.eu-west-1.on.aws',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'sandbox',
      domainName: 'sandbox.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'sandbox',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: click.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: click.base64 ?? false,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
