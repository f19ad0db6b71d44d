import { type BlockActions, InvalidInteractionError, parseInteraction, SlackSignatureError, verifySlackSignature } from '../../notify/slack-interaction.ts';
import { logger } from '../../middleware/observability.ts';

/** A Lambda function URL request, the fields eksops reads (payload format 2.0). */
export interface FunctionUrlRequest {
  headers: Record<string, string | undefined>;
  body?: string | undefined;
  isBase64Encoded: boolean;
}

export interface FunctionUrlResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * Only a request Slack signed (with the app's signing secret, recently) and that is a button click gets
 * through: the interaction, or the HTTP answer that refuses it (401 unsigned, 400 not a click).
 */
export function verifiedInteraction(request: FunctionUrlRequest, signingSecret: string, now: Date): { interaction: BlockActions } | { refused: FunctionUrlResponse } {
  const rawBody = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64') : Buffer.from(request.body ?? '', 'utf8');
  try {
    verifySlackSignature({ signingSecret, timestamp: headerValue(request.headers, 'x-slack-request-timestamp'), signature: headerValue(request.headers, 'x-slack-signature'), rawBody, now });
  } catch (error) {
    if (!(error instanceof SlackSignatureError)) throw error;
    logger.warn('refused an unsigned or badly signed request', { reason: error.reason, detail: error.message });
    return { refused: plain(401, `refused: ${error.reason}`) };
  }
  try {
    return { interaction: parseInteraction(rawBody.toString('utf8')) };
  } catch (error) {
    if (!(error instanceof InvalidInteractionError)) throw error;
    logger.warn('signed request is not a button click eksops understands', { detail: error.message });
    return { refused: plain(400, error.message) };
  }
}

export function plain(statusCode: number, body: string): FunctionUrlResponse {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}
