import type { Fetch } from '../http/fetch.ts';
import type { Clock } from '../time/clock.ts';
import { type Block, boundFallbackText, fallbackText, fitMessage } from './blocks.ts';
import { backoffDelay } from '../http/backoff.ts';
import { parseRetryAfterMs } from '../http/retry-after.ts';
import { isRetryableStatus } from '../http/status.ts';
import { SecretReadError, secretLocation } from '../secrets/secret-reader.ts';
import type { SlackCapability, SlackSettings } from './settings.ts';

/**
 * Sends eksops messages to Slack through an incoming webhook or a bot token (chat.postMessage): one message
 * per second per channel, Retry-After honoured, transient failures retried with jittered exponential
 * backoff, everything else surfaced as a SlackDeliveryError. The webhook URL and the token are credentials:
 * they appear in no error and no log line.
 */

export type SlackTransport =
  | { kind: 'webhook'; url: string }
  | {
      kind: 'bot';
      token: string;
      defaultChannel: string;
      channels?: Partial<Record<SlackCapability, string>>;
      /** Where the Web API lives; tests and the sandbox point it at a loopback server. */
      apiBaseUrl?: string;
    };

/** The two log levels the sender uses; a Powertools Logger fits. */
export interface NotifyLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface RetryPolicy {
  /** Requests per message, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is not slept through inside Lambda: the error goes back, marked retryable. */
  maxRetryAfterMs: number;
  requestTimeoutMs: number;
  /** The jitter source, in [0, 1). */
  random: () => number;
}

export interface SlackNotifierOptions {
  transport: SlackTransport;
  fetch: Fetch;
  clock: Clock;
  logger?: NotifyLogger;
  retry?: Partial<RetryPolicy>;
}

export interface SlackMessage {
  capability: SlackCapability;
  blocks: readonly Block[];
  /** The notification text, mrkdwn like the sections (escape untrusted values); built from the blocks when omitted. */
  text?: string;
  /** Bot mode only: overrides the capability's channel. */
  channel?: string;
  signal?: AbortSignal;
}

export interface SlackDelivery {
  /** The channel posted to; "webhook" for an incoming webhook. */
  channel: string;
  attempts: number;
  /** The message timestamp chat.postMessage returns (bot mode). */
  ts?: string;
}

export interface SlackNotifier {
  send(message: SlackMessage): Promise<SlackDelivery>;
}

export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError' as const;
  /** True when sending the same message later may succeed (rate limit, 5xx, network, Slack's transient codes). */
  readonly retryable: boolean;
  /** Slack's error code, e.g. channel_not_found, invalid_auth, invalid_blocks, ratelimited. */
  readonly slackError: string | undefined;
  readonly httpStatus: number | undefined;
  readonly attempts: number;
  readonly channel: string;

  constructor(
    message: string,
    details: { retryable: boolean; slackError?: string; httpStatus?: number; attempts: number; channel: string },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.retryable = details.retryable;
    this.slackError = details.slackError;
    this.httpStatus = details.httpStatus;
    this.attempts = details.attempts;
    this.channel = details.channel;
  }
}

const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
  requestTimeoutMs: 10_000,
  random: Math.random,
};

// Slack, "Rate Limits" (api.slack.com/apis/rate-limits): posting messages and incoming webhooks, 1 per
// second; chat.postMessage "generally allows posting one message per second per channel". Bursts are
// tolerated but "there is no guarantee that messages will be stored or displayed", so we do not burst.
const MIN_INTERVAL_PER_CHANNEL_MS = 1000;
const DEFAULT_API_BASE_URL = 'https://slack.com/api/';
const WEBHOOK_CHANNEL = 'webhook';

// chat.postMessage answers HTTP 200 {ok:false} for its own errors. Slack documents these as transient
// ("likely due to a transient issue on our end"), but also warns some aspect of the call may have
// succeeded: they are not retried here (a retry could post twice), only marked retryable for the caller.
const TRANSIENT_API_ERRORS = new Set(['internal_error', 'service_unavailable', 'request_timeout', 'fatal_error']);
const RATE_LIMITED_API_ERRORS = new Set(['ratelimited', 'rate_limited']);

type AttemptResult =
  | { delivered: true; ts?: string }
  | {
      delivered: false;
      /** rate-limited, server and network failures are retried here; rejected ones are not. */
      kind: 'rate-limited' | 'server' | 'network' | 'rejected';
      retryable: boolean;
      httpStatus?: number;
      slackError?: string;
      retryAfterMs?: number;
      cause?: Error;
    };

type Failure = Extract<AttemptResult, { delivered: false }>;

interface Lane {
  tail: Promise<unknown>;
  lastRequestAt: number | undefined;
}

export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const { transport, clock, logger } = options;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const redact = redactorFor(transport);
  const lanes = new Map<string, Lane>();

  const channelFor = (message: SlackMessage): string =>
    transport.kind === 'webhook'
      ? WEBHOOK_CHANNEL
      : (message.channel ?? transport.channels?.[message.capability] ?? transport.defaultChannel);

  async function waitForTurn(lane: Lane, signal: AbortSignal | undefined): Promise<void> {
    if (lane.lastRequestAt !== undefined) {
      const wait = lane.lastRequestAt + MIN_INTERVAL_PER_CHANNEL_MS - clock.now().getTime();
      if (wait > 0) await clock.sleep(wait, signal);
    }
    lane.lastRequestAt = clock.now().getTime();
  }

  async function attempt(body: string, signal: AbortSignal | undefined): Promise<AttemptResult> {
    const timeout = AbortSignal.timeout(policy.requestTimeoutMs);
    const request: RequestInit = {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(transport.kind === 'bot' ? { authorization: `Bearer ${transport.token}` } : {}),
      },
      body,
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    };
    let response: Response;
    let responseText: string;
    try {
      response = await options.fetch(endpointUrl(transport), request);
      responseText = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      return { delivered: false, kind: 'network', retryable: true, cause: redactError(error, redact) };
    }
    return transport.kind === 'webhook'
      ? interpretWebhookResponse(response, responseText, clock)
      : interpretApiResponse(response, responseText, clock);
  }

  async function deliver(lane: Lane, channel: string, message: SlackMessage): Promise<SlackDelivery> {
    const blocks = fitMessage(message.blocks);
    const text = boundFallbackText(message.text ?? fallbackText(blocks));
    const payload = transport.kind === 'webhook' ? { text, blocks } : { channel, text, blocks };
    const body = JSON.stringify({ ...payload, unfurl_links: false, unfurl_media: false });
    const where = transport.kind === 'webhook' ? 'the webhook channel' : `channel ${channel}`;
    const fail = (failure: Failure, attempts: number, retryable = failure.retryable): SlackDeliveryError =>
      new SlackDeliveryError(
        `Slack did not accept the ${message.capability} message for ${where} ` +
          `after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describe(failure)}`,
        { retryable, slackError: failure.slackError, httpStatus: failure.httpStatus, attempts, channel },
        failure.cause === undefined ? undefined : { cause: failure.cause },
      );

    let attempts = 0;
    try {
      for (;;) {
        await waitForTurn(lane, message.signal);
        message.signal?.throwIfAborted();
        attempts += 1;
        const result = await attempt(body, message.signal);
        if (result.delivered) {
          logger?.debug('Slack message delivered', { capability: message.capability, channel, attempts });
          return { channel, attempts, ...(result.ts === undefined ? {} : { ts: result.ts }) };
        }
        if (result.kind === 'rejected' || attempts >= policy.maxAttempts) throw fail(result, attempts);
        const delayMs = result.retryAfterMs ?? backoffDelay(attempts, { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs, random: policy.random });
        if (delayMs > policy.maxRetryAfterMs) throw fail(result, attempts, true);
        logger?.warn('Slack delivery failed, retrying', {
          capability: message.capability,
          channel,
          attempt: attempts,
          httpStatus: result.httpStatus,
          slackError: result.slackError,
          delayMs,
        });
        await clock.sleep(delayMs, message.signal);
      }
    } catch (error) {
      if (error instanceof SlackDeliveryError || !message.signal?.aborted) throw error;
      // The caller's time budget ran out while waiting or sending: the message may be sent again later.
      const aborted: Failure = { delivered: false, kind: 'network', retryable: true, slackError: 'aborted' };
      throw fail({ ...aborted, cause: redactError(error, redact) }, attempts);
    }
  }

  return {
    send(message) {
      const channel = channelFor(message);
      let lane = lanes.get(channel);
      if (lane === undefined) {
        lane = { tail: Promise.resolve(), lastRequestAt: undefined };
        lanes.set(channel, lane);
      }
      const current = lane;
      // Messages to one channel leave in the order they were sent, one at a time; other channels do not wait.
      const delivery = current.tail.then(() => deliver(current, channel, message));
      current.tail = delivery.catch(() => undefined);
      return delivery;
    },
  };
}

/**
 * The transport the settings describe, once their secret is read. A value of the wrong kind (a token where a
 * webhook URL is expected, a user token) is refused here, with a message that does not contain it.
 */
export function slackTransportFor(settings: SlackSettings, secret: string, apiBaseUrl?: string): SlackTransport {
  const wrongShape = (detail: string) => new SecretReadError(secretLocation(settings.secret), 'wrong-shape', detail);
  if (settings.mode === 'webhook') {
    if (!isWebhookUrl(secret)) throw wrongShape('the value is not an https:// incoming-webhook URL');
    return { kind: 'webhook', url: secret };
  }
  if (!secret.startsWith('xoxb-')) throw wrongShape('the value is not a bot token (xoxb-…)');
  return {
    kind: 'bot',
    token: secret,
    defaultChannel: settings.defaultChannel,
    ...(settings.channels === undefined ? {} : { channels: settings.channels }),
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
  };
}

// https only, except plain http to this machine: the sandbox's loopback Slack.
function isWebhookUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}

function endpointUrl(transport: SlackTransport): string {
  if (transport.kind === 'webhook') return transport.url;
  return new URL('chat.postMessage', withTrailingSlash(transport.apiBaseUrl ?? DEFAULT_API_BASE_URL)).toString();
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

// Incoming webhooks answer "ok" with HTTP 200, and a plain-text code otherwise. Slack, changelog "Improving
// error conditions for Incoming Webhooks" (2016-05-17): 400 invalid_payload / user_not_found, 403
// action_prohibited, 404 channel_not_found, 410 channel_is_archived, 500 rollup_error; invalid blocks are
// a 400 invalid_blocks, a revoked webhook a 404 no_service. 429 carries Retry-After in seconds.
function interpretWebhookResponse(response: Response, body: string, clock: Clock): AttemptResult {
  if (response.status === 200) return { delivered: true };
  const slackError = slackErrorCode(body.trim());
  return (
    failureForStatus(response, slackError, clock) ?? {
      delivered: false,
      kind: 'rejected',
      retryable: false,
      httpStatus: response.status,
      ...(slackError === undefined ? {} : { slackError }),
    }
  );
}

// chat.postMessage answers HTTP 200 with {ok:false, error} for its own errors (channel_not_found,
// invalid_auth, not_authed, invalid_blocks, msg_too_long, no_text, not_in_channel, is_archived …), and
// HTTP 429 with Retry-After and {ok:false, error:"ratelimited"} when rate limited.
function interpretApiResponse(response: Response, body: string, clock: Clock): AttemptResult {
  const parsed = parseJsonObject(body);
  const slackError = slackErrorCode(parsed?.['error']);
  const byStatus = failureForStatus(response, slackError, clock);
  if (byStatus !== undefined) return byStatus;
  const httpStatus = response.status;
  if (httpStatus !== 200 || parsed === undefined) {
    const code = slackError ?? 'invalid_response';
    return { delivered: false, kind: 'rejected', retryable: false, httpStatus, slackError: code };
  }
  if (parsed['ok'] === true) {
    return typeof parsed['ts'] === 'string' ? { delivered: true, ts: parsed['ts'] } : { delivered: true };
  }
  if (slackError !== undefined && RATE_LIMITED_API_ERRORS.has(slackError)) {
    const waitMs = retryAfterMs(response, clock) ?? MIN_INTERVAL_PER_CHANNEL_MS;
    return { delivered: false, kind: 'rate-limited', retryable: true, httpStatus, slackError, retryAfterMs: waitMs };
  }
  const retryable = slackError !== undefined && TRANSIENT_API_ERRORS.has(slackError);
  return { delivered: false, kind: 'rejected', retryable, httpStatus, slackError: slackError ?? 'unknown_error' };
}

function failureForStatus(response: Response, slackError: string | undefined, clock: Clock): Failure | undefined {
  const httpStatus = response.status;
  if (httpStatus === 429) {
    const waitMs = retryAfterMs(response, clock) ?? MIN_INTERVAL_PER_CHANNEL_MS;
    return {
      delivered: false,
      kind: 'rate-limited',
      retryable: true,
      httpStatus,
      slackError: slackError ?? 'ratelimited',
      retryAfterMs: waitMs,
    };
  }
  if (isRetryableStatus(httpStatus)) {
    const code = slackError === undefined ? {} : { slackError };
    return { delivered: false, kind: 'server', retryable: true, httpStatus, ...code };
  }
  return undefined;
}

function retryAfterMs(response: Response, clock: Clock): number | undefined {
  return parseRetryAfterMs(response.headers.get('retry-after'), clock.now().getTime());
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    return isObject ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// Only a short snake_case code is taken from a response: an HTML error page from a proxy is not an error code.
function slackErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value) ? value : undefined;
}

function describe(failure: Failure): string {
  if (failure.kind === 'network') {
    const reason = failure.cause === undefined ? '' : `: ${failure.cause.message}`;
    return failure.slackError === 'aborted' ? `aborted${reason}` : `network error${reason}`;
  }
  const status = failure.httpStatus === undefined ? '' : `HTTP ${failure.httpStatus}`;
  return failure.slackError === undefined ? status : `${status} (${failure.slackError})`;
}

type Redact = (text: string) => string;

// The webhook URL's path is its secret; the token is the whole secret. Errors from fetch may quote the URL.
function redactorFor(transport: SlackTransport): Redact {
  const secrets =
    transport.kind === 'bot'
      ? [transport.token]
      : [transport.url, ...(URL.canParse(transport.url) ? [new URL(transport.url).pathname] : [])];
  const meaningful = secrets.filter((secret) => secret.length > 1).sort((a, b) => b.length - a.length);
  return (text) => meaningful.reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text);
}

function redactError(error: unknown, redact: Redact, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const cause = error.cause !== undefined && depth < 3 ? redactError(error.cause, redact, depth + 1) : undefined;
  const copy = new Error(redact(error.message), cause === undefined ? undefined : { cause });
  copy.name = error.name;
  copy.stack = redact(error.stack ?? `${error.name}: ${error.message}`);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? Object.assign(copy, { code }) : copy;
}
