import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * What Slack sends when someone presses a button of an eksops message, and how eksops knows Slack sent it.
 *
 * Slack, "Verifying requests from Slack": every request carries `X-Slack-Request-Timestamp` and
 * `X-Slack-Signature` = `v0=` + hex(HMAC-SHA256(signing secret, `v0:<timestamp>:<raw body>`)). Requests
 * whose timestamp is more than five minutes from now are refused, so a captured request cannot be replayed
 * later. The comparison is constant-time.
 */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;
const VERSION = 'v0';

export type SignatureFailure = 'missing-headers' | 'bad-timestamp' | 'stale' | 'mismatch';

export class SlackSignatureError extends Error {
  override readonly name = 'SlackSignatureError' as const;
  readonly reason: SignatureFailure;

  constructor(reason: SignatureFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`${VERSION}:${timestamp}:`);
  hmac.update(rawBody);
  return `${VERSION}=${hmac.digest('hex')}`;
}

/** Throws a SlackSignatureError naming the reason unless the request is Slack's, signed within five minutes of `now`. */
export function verifySlackSignature(request: { signingSecret: string; timestamp: string | undefined; signature: string | undefined; rawBody: Buffer | string; now: Date }): void {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) throw new SlackSignatureError('missing-headers', 'X-Slack-Request-Timestamp or X-Slack-Signature is missing');
  if (!/^\d{1,12}$/.test(timestamp)) throw new SlackSignatureError('bad-timestamp', 'X-Slack-Request-Timestamp is not a Unix time');
  const age = Math.abs(request.now.getTime() / 1000 - Number(timestamp));
  if (age > SIGNATURE_MAX_AGE_SECONDS) throw new SlackSignatureError('stale', `the request was signed ${Math.round(age)} s from now (more than ${SIGNATURE_MAX_AGE_SECONDS} s)`);
  const expected = Buffer.from(slackSignature(request.signingSecret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SlackSignatureError('mismatch', 'X-Slack-Signature does not match the body');
}

/**
 * The part of a `block_actions` interaction payload eksops reads (Slack reference, "block_actions payload").
 * Slack posts it form-encoded: `payload=<JSON>`.
 */
export const BlockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1).max(40), username: z.string().optional(), name: z.string().optional() }),
  actions: z.array(z.looseObject({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).min(1),
  response_url: z.url().optional(),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

export class InvalidInteractionError extends Error {
  override readonly name = 'InvalidInteractionError' as const;
}

export function parseInteraction(formBody: string): BlockActions {
  const payload = new URLSearchParams(formBody).get('payload');
  if (payload === null) throw new InvalidInteractionError('the body has no payload field');
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new InvalidInteractionError('the payload is not JSON');
  }
  const parsed = BlockActionsSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInteractionError(`not a block_actions payload: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * Where an answer to an interaction may be posted: Slack's response_url hosts only (hooks.slack.com, and
 * GovSlack's hooks.slack-gov.com), over HTTPS. Anything else is not followed, even in a signed payload.
 */
export function isSlackResponseUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && (parsed.hostname === 'hooks.slack.com' || parsed.hostname === 'hooks.slack-gov.com') && parsed.port === '';
  } catch {
    return false;
  }
}
