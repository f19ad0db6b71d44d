import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../shared/time/clock.ts';

/**
 * A loopback server that answers like Slack, for tests and the sandbox: an incoming webhook and
 * chat.postMessage, with Slack's status codes, error codes and Block Kit limits. It records every request
 * and every accepted message with its arrival time on the injected clock, and can be told to answer the
 * next requests with 429 + Retry-After or a 5xx.
 */

export interface SlackSinkOptions {
  clock: Clock;
  /** The bot token chat.postMessage accepts as "Authorization: Bearer …". */
  botToken?: string;
  /** The incoming webhook's path; its secret part, like Slack's. */
  webhookPath?: string;
  /** The channel the webhook was created for. */
  webhookChannel?: string;
  /** When given, chat.postMessage answers channel_not_found for any other channel. */
  channels?: readonly string[];
}

export type SlackSinkFailure = { status: 429; retryAfterSeconds: number } | { status: 500 | 502 | 503 | 504 };

export type SlackSinkTransport = 'webhook' | 'bot' | 'response';

export interface SlackSinkRequest {
  transport: SlackSinkTransport | 'unknown';
  method: string;
  path: string;
  receivedAt: Date;
  /** The request body exactly as received. */
  body: string;
  /** chat.postMessage only: whether the Bearer token was the right one. */
  authorized?: boolean;
  status: number;
  /** "ok", or the Slack error code answered. */
  outcome: string;
}

export interface SlackSinkMessage {
  transport: SlackSinkTransport;
  channel: string;
  text: string | undefined;
  blocks: unknown[];
  ts: string;
  receivedAt: Date;
  body: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
  outcome: string;
}

// Slack, Block Kit reference (docs.slack.dev/reference/block-kit/blocks): 50 blocks per message; header text
// 150; section text 3000; 10 fields of 2000; 10 context elements; text objects 3000. Changelog "Truncating
// really long messages": the top-level text is cut at 40,000 characters with a message_truncated warning.
const LIMITS = {
  blocks: 50,
  header: 150,
  section: 3000,
  fields: 10,
  field: 2000,
  contextElements: 10,
  textObject: 3000,
};
const MAX_TEXT = 40_000;
const OTHER_BLOCK_TYPES = new Set(['image', 'actions', 'rich_text', 'markdown', 'input', 'file', 'video']);
const POST_MESSAGE_PATH = '/api/chat.postMessage';
/** Interactions' response_url (https://hooks.slack.com/actions/…), served here through the sandbox's fetch. */
export const RESPONSE_URL_PREFIX = '/actions/';

export class SlackSink {
  readonly #clock: Clock;
  readonly #botToken: string;
  readonly #webhookPath: string;
  readonly #webhookChannel: string;
  readonly #channels: ReadonlySet<string> | undefined;
  readonly #failures: SlackSinkFailure[] = [];
  readonly #messages: SlackSinkMessage[] = [];
  readonly #requests: SlackSinkRequest[] = [];
  #server: Server | undefined;
  #baseUrl: string | undefined;
  #sequence = 0;

  constructor(options: SlackSinkOptions) {
    this.#clock = options.clock;
    this.#botToken = options.botToken ?? 'xoxb-0000-sandbox-token';
    this.#webhookPath = options.webhookPath ?? '/services/T0SANDBOX/B0SANDBOX/sandboxwebhooksecret';
    this.#webhookChannel = options.webhookChannel ?? '#eksops';
    this.#channels = options.channels === undefined ? undefined : new Set(options.channels);
  }

  /** Listens on 127.0.0.1 on a free port; returns the base URL, e.g. http://127.0.0.1:53211. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.#answer(request).then((answer) => {
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#baseUrl;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  get baseUrl(): string {
    if (this.#baseUrl === undefined) throw new Error('SlackSink is not started');
    return this.#baseUrl;
  }

  get webhookUrl(): string {
    return `${this.baseUrl}${this.#webhookPath}`;
  }

  /** The Web API base URL to give the bot transport (chat.postMessage lives under it). */
  get apiBaseUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get messages(): readonly SlackSinkMessage[] {
    return this.#messages;
  }

  get requests(): readonly SlackSinkRequest[] {
    return this.#requests;
  }

  /** Answers the next `count` requests, whatever they are, with this failure. */
  failNext(count: number, failure: SlackSinkFailure): void {
    for (let index = 0; index < count; index += 1) this.#failures.push(failure);
  }

  clear(): void {
    this.#failures.length = 0;
    this.#messages.length = 0;
    this.#requests.length = 0;
  }

  /** A message's blocks as plain text lines, for a timeline. */
  summary(message: SlackSinkMessage): string[] {
    if (message.blocks.length === 0) return readable(message.text ?? '').split('\n');
    return message.blocks.flatMap(summarizeBlock);
  }

  async #answer(request: IncomingMessage): Promise<Answer> {
    const body = await readBody(request);
    const receivedAt = this.#clock.now();
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    const transport = path === this.#webhookPath ? 'webhook' : path === POST_MESSAGE_PATH ? 'bot' : path.startsWith(RESPONSE_URL_PREFIX) ? 'response' : 'unknown';
    const method = request.method ?? 'GET';
    const authorized = transport === 'bot' ? request.headers.authorization === `Bearer ${this.#botToken}` : undefined;

    const failure = this.#failures.shift();
    let answer: Answer;
    if (failure !== undefined) answer = scriptedFailure(transport, failure);
    else if (method !== 'POST' && transport !== 'unknown') answer = textAnswer(405, 'invalid_method');
    else if (transport === 'webhook') answer = this.#acceptWebhook(body, receivedAt);
    else if (transport === 'bot') answer = this.#acceptPostMessage(request, body, receivedAt);
    else if (transport === 'response') answer = this.#acceptResponse(body, receivedAt);
    else if (path.startsWith('/api/')) answer = apiError('unknown_method');
    else answer = textAnswer(404, path.startsWith('/services/') ? 'no_service' : 'not_found');

    this.#requests.push({
      transport,
      method,
      path,
      receivedAt,
      body,
      ...(authorized === undefined ? {} : { authorized }),
      status: answer.status,
      outcome: answer.outcome,
    });
    return answer;
  }

  // Incoming webhooks: "ok" on success, otherwise a plain-text code with 400/403/404/410 (Slack, changelog
  // "Improving error conditions for Incoming Webhooks").
  #acceptWebhook(body: string, receivedAt: Date): Answer {
    const payload = parseObject(body);
    if (payload === undefined) return textAnswer(400, 'invalid_payload');
    const content = messageContent(payload);
    if (content.error !== undefined) return textAnswer(400, content.error);
    this.#record('webhook', this.#webhookChannel, content, receivedAt, body);
    return { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok', outcome: 'ok' };
  }

  // response_url (Slack, "Handling user interaction"): a message for the user who clicked (response_type
  // "ephemeral"), or a replacement of the original message (replace_original: true). Recorded as a message
  // whose channel says which.
  #acceptResponse(body: string, receivedAt: Date): Answer {
    const payload = parseObject(body);
    if (payload === undefined) return textAnswer(400, 'invalid_payload');
    const content = messageContent(payload);
    if (content.error !== undefined) return textAnswer(400, content.error);
    const channel = payload['replace_original'] === true ? 'response:replace_original' : payload['response_type'] === 'in_channel' ? 'response:in_channel' : 'response:ephemeral';
    this.#record('response', channel, content, receivedAt, body);
    return { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok', outcome: 'ok' };
  }

  // chat.postMessage: HTTP 200 with {ok:false, error} for every Slack-level error.
  #acceptPostMessage(request: IncomingMessage, body: string, receivedAt: Date): Answer {
    const authorization = request.headers.authorization;
    if (authorization === undefined) return apiError('not_authed');
    if (authorization !== `Bearer ${this.#botToken}`) return apiError('invalid_auth');
    const payload = parseObject(body);
    if (payload === undefined) return apiError('invalid_json');
    const channel = payload['channel'];
    if (typeof channel !== 'string' || channel === '') return apiError('channel_not_found');
    if (this.#channels !== undefined && !this.#channels.has(channel)) return apiError('channel_not_found');
    const content = messageContent(payload);
    if (content.error !== undefined) {
      if (content.problems.length === 0) return apiError(content.error);
      const messages = content.problems.map((problem) => `[ERROR] ${problem}`);
      return apiError(content.error, { errors: content.problems, response_metadata: { messages } });
    }
    const message = this.#record('bot', channel, content, receivedAt, body);
    const warnings = content.truncated
      ? { warning: 'message_truncated', response_metadata: { warnings: ['message_truncated'] } }
      : {};
    const posted = { type: 'message', text: message.text, blocks: message.blocks, ts: message.ts };
    const reply = { ok: true, channel, ts: message.ts, message: posted, ...warnings };
    return jsonAnswer(200, reply, 'ok');
  }

  #record(transport: SlackSinkTransport, channel: string, content: ValidContent, receivedAt: Date, body: string) {
    this.#sequence += 1;
    const ts = `${Math.floor(receivedAt.getTime() / 1000)}.${String(this.#sequence).padStart(6, '0')}`;
    const { text, blocks } = content;
    const message: SlackSinkMessage = { transport, channel, text, blocks, ts, receivedAt, body };
    this.#messages.push(message);
    return message;
  }
}

type ValidContent = { error?: undefined; text: string | undefined; blocks: unknown[]; truncated: boolean };
type MessageContent = ValidContent | { error: string; problems: string[] };

function messageContent(payload: Record<string, unknown>): MessageContent {
  const { text, blocks } = payload;
  if (blocks !== undefined && !Array.isArray(blocks)) {
    return { error: 'invalid_blocks_format', problems: ['must be an array [json-pointer:/blocks]'] };
  }
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (!hasText && (blocks === undefined || blocks.length === 0)) return { error: 'no_text', problems: [] };
  const problems = blocks === undefined ? [] : blockProblems(blocks);
  if (problems.length > 0) return { error: 'invalid_blocks', problems };
  const truncated = hasText && text.length > MAX_TEXT;
  return { text: hasText ? text.slice(0, MAX_TEXT) : undefined, blocks: blocks ?? [], truncated };
}

// Slack's own wording, e.g. "must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
function blockProblems(blocks: unknown[]): string[] {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) {
    problems.push(`no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  }
  blocks.forEach((block, index) => {
    const at = `/blocks/${index}`;
    if (!isRecord(block)) {
      problems.push(`must be an object [json-pointer:${at}]`);
      return;
    }
    switch (block['type']) {
      case 'header':
        problems.push(...textObjectProblems(block['text'], `${at}/text`, LIMITS.header, true));
        break;
      case 'section':
        problems.push(...sectionProblems(block, at));
        break;
      case 'context':
        problems.push(...listProblems(block['elements'], `${at}/elements`, LIMITS.contextElements, LIMITS.textObject));
        break;
      case 'divider':
        break;
      default:
        if (!OTHER_BLOCK_TYPES.has(String(block['type']))) problems.push(`unsupported type [json-pointer:${at}/type]`);
    }
  });
  return problems;
}

function sectionProblems(block: Record<string, unknown>, at: string): string[] {
  if (block['text'] === undefined && block['fields'] === undefined) {
    return [`must provide either text or fields [json-pointer:${at}]`];
  }
  const { text, fields } = block;
  return [
    ...(text === undefined ? [] : textObjectProblems(text, `${at}/text`, LIMITS.section, false)),
    ...(fields === undefined ? [] : listProblems(fields, `${at}/fields`, LIMITS.fields, LIMITS.field)),
  ];
}

function listProblems(items: unknown, at: string, maxItems: number, maxText: number): string[] {
  if (!Array.isArray(items) || items.length === 0) return [`must provide at least 1 item [json-pointer:${at}]`];
  const tooMany = items.length > maxItems ? [`no more than ${maxItems} items allowed [json-pointer:${at}]`] : [];
  const images = (item: unknown) => isRecord(item) && item['type'] === 'image';
  return [
    ...tooMany,
    ...items.flatMap((item, index) => (images(item) ? [] : textObjectProblems(item, `${at}/${index}`, maxText, false))),
  ];
}

function textObjectProblems(object: unknown, at: string, max: number, plainOnly: boolean): string[] {
  if (!isRecord(object) || (object['type'] !== 'plain_text' && object['type'] !== 'mrkdwn')) {
    return [`must be a text object [json-pointer:${at}]`];
  }
  if (plainOnly && object['type'] !== 'plain_text') return [`must be plain_text [json-pointer:${at}/type]`];
  const text = object['text'];
  if (typeof text !== 'string' || text.length === 0) {
    return [`must be more than 0 characters [json-pointer:${at}/text]`];
  }
  return text.length > max ? [`must be less than ${max + 1} characters [json-pointer:${at}/text]`] : [];
}

function scriptedFailure(transport: SlackSinkRequest['transport'], failure: SlackSinkFailure): Answer {
  if (failure.status === 429) {
    const answer = transport === 'webhook' ? textAnswer(429, 'rate_limited') : apiErrorWithStatus(429, 'ratelimited');
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(failure.retryAfterSeconds) } };
  }
  if (failure.status === 500) {
    return transport === 'webhook' ? textAnswer(500, 'rollup_error') : apiErrorWithStatus(500, 'internal_error');
  }
  // What a load balancer in front of Slack answers: an HTML page, not a Slack error code.
  const page = `<html><body>${failure.status}</body></html>`;
  return { status: failure.status, headers: { 'content-type': 'text/html' }, body: page, outcome: `http_${failure.status}` };
}

function textAnswer(status: number, code: string): Answer {
  return { status, headers: { 'content-type': 'text/plain' }, body: code, outcome: code };
}

function jsonAnswer(status: number, body: unknown, outcome: string): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), outcome };
}

function apiError(error: string, extra: Record<string, unknown> = {}): Answer {
  return apiErrorWithStatus(200, error, extra);
}

function apiErrorWithStatus(status: number, error: string, extra: Record<string, unknown> = {}): Answer {
  return jsonAnswer(status, { ok: false, error, ...extra }, error);
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function summarizeBlock(block: unknown): string[] {
  if (!isRecord(block)) return ['[?]'];
  // plain_text is shown as typed; only mrkdwn has markup to resolve.
  const textOf = (object: unknown) => {
    if (!isRecord(object) || typeof object['text'] !== 'string') return '';
    return object['type'] === 'mrkdwn' ? readable(object['text']) : object['text'];
  };
  const many = (items: unknown) => (Array.isArray(items) ? items.map(textOf) : []);
  switch (block['type']) {
    case 'header':
      return [`# ${textOf(block['text'])}`];
    case 'section':
      return [
        ...(block['text'] === undefined ? [] : textOf(block['text']).split('\n')),
        ...many(block['fields']).map((field) => `  ${field.replaceAll('\n', ' ')}`),
      ];
    case 'context':
      return [`  (${many(block['elements']).join(' · ')})`];
    case 'divider':
      return ['  ────────'];
    default:
      return [`[${String(block['type'])}]`];
  }
}

// mrkdwn → what a person sees: mentions and links resolved first, then the three entities decoded, so
// escaped text (&lt;!here&gt;) stays the literal text it was.
function readable(mrkdwn: string): string {
  return mrkdwn
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_match, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<([^>]+)>/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
