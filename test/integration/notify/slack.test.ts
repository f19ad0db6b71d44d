import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@aws-lambda-powertools/logger';
import { inspect } from 'node:util';
import { SlackSink } from '../../../local/sinks/slack-sink.ts';
import { VirtualClock } from '../../../local/time/virtual-clock.ts';
import { defaultFetch, type Fetch } from '../../../shared/http/fetch.ts';
import { type Block, context, divider, fields, header, section } from '../../../shared/notify/blocks.ts';
import { escapeMrkdwn, inlineCode } from '../../../shared/notify/escape.ts';
import {
  createSlackNotifier,
  type NotifyLogger,
  SlackDeliveryError,
  type SlackNotifierOptions,
} from '../../../shared/notify/slack-client.ts';

const TOKEN = 'xoxb-1111-2222-s3cr3tTokenPart';
const WEBHOOK_PATH = '/services/T0001/B0001/s3cr3tWebhookPart';
const START = '2026-01-05T09:00:00.000Z';

let clock: VirtualClock;
let sink: SlackSink;
let logLines: string[];

const recordingLogger: NotifyLogger = {
  debug: (message, attributes) => logLines.push(inspect({ level: 'debug', message, ...attributes })),
  warn: (message, attributes) => logLines.push(inspect({ level: 'warn', message, ...attributes })),
};

beforeEach(async () => {
  clock = new VirtualClock(START);
  sink = new SlackSink({ clock, botToken: TOKEN, webhookPath: WEBHOOK_PATH, webhookChannel: '#eks-alerts' });
  logLines = [];
  await sink.start();
});

afterEach(async () => {
  await sink.close();
});

type Overrides = Partial<Omit<SlackNotifierOptions, 'transport'>>;
const options = (overrides: Overrides) => ({
  fetch: defaultFetch,
  clock,
  logger: recordingLogger,
  ...overrides,
  retry: { random: () => 0.5, ...overrides.retry },
});
const webhookNotifier = (overrides: Overrides = {}, url = sink.webhookUrl) =>
  createSlackNotifier({ transport: { kind: 'webhook', url }, ...options(overrides) });
const botNotifier = (overrides: Overrides = {}, token = TOKEN) =>
  createSlackNotifier({
    transport: {
      kind: 'bot',
      token,
      defaultChannel: '#eks-alerts',
      channels: { scan: '#eks-scans' },
      apiBaseUrl: sink.apiBaseUrl,
    },
    ...options(overrides),
  });

/** Milliseconds of virtual time since the test started. */
const elapsed = (date: Date) => date.getTime() - Date.parse(START);
const scanBlocks = (label: string): Block[] => [header(`Image scan ${label}`), section(`*${label}*`)];

async function deliveryError(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const outcome: unknown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof SlackDeliveryError)) throw new Error(`expected a SlackDeliveryError, got ${inspect(outcome)}`);
  return outcome;
}

function expectNoSecretIn(...things: unknown[]) {
  for (const thing of things) {
    const shown = typeof thing === 'string' ? thing : inspect(thing, { depth: 10 });
    expect(shown).not.toContain('s3cr3t');
    expect(shown).not.toContain(WEBHOOK_PATH);
    expect(shown).not.toContain(TOKEN);
  }
}

describe('Slack notifier: delivery', () => {
  it('posts to an incoming webhook exactly the bytes Slack expects', async () => {
    const blocks = [header('Image scan: nginx'), section(`*2* critical findings in ${inlineCode('nginx:1.27')}`)];

    const delivery = await webhookNotifier().send({ capability: 'scan', blocks });

    expect(delivery).toEqual({ channel: 'webhook', attempts: 1 });
    expect(sink.requests.map((request) => [request.transport, request.method, request.status, request.outcome])).toEqual([
      ['webhook', 'POST', 200, 'ok'],
    ]);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]?.channel).toBe('#eks-alerts');
    expect(sink.messages[0]?.body).toBe(
      '{"text":"Image scan: nginx\\n*2* critical findings in `nginx:1.27`",' +
        '"blocks":[{"type":"header","text":{"type":"plain_text","text":"Image scan: nginx"}},' +
        '{"type":"section","text":{"type":"mrkdwn","text":"*2* critical findings in `nginx:1.27`"}}],' +
        '"unfurl_links":false,"unfurl_media":false}',
    );
  });

  it('posts with a bot token to the capability channel, the default channel or the given one', async () => {
    const notifier = botNotifier();

    const scan = await notifier.send({ capability: 'scan', blocks: scanBlocks('a'), text: 'scan done' });
    const upgrade = await notifier.send({ capability: 'upgrade', blocks: scanBlocks('b') });
    const explicit = await notifier.send({ capability: 'scan', blocks: scanBlocks('c'), channel: 'C0123ABCD' });

    expect(sink.requests.every((request) => request.transport === 'bot' && request.authorized === true)).toBe(true);
    expect(sink.messages.map((message) => message.channel)).toEqual(['#eks-scans', '#eks-alerts', 'C0123ABCD']);
    expect(JSON.parse(sink.messages[0]?.body ?? '')).toEqual({
      channel: '#eks-scans',
      text: 'scan done',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Image scan a' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*a*' } },
      ],
      unfurl_links: false,
      unfurl_media: false,
    });
    expect([scan, upgrade, explicit].map((delivery) => [delivery.channel, delivery.ts])).toEqual(
      sink.messages.map((message) => [message.channel, message.ts]),
    );
  });

  it('delivers untrusted text as text: no mention or link reaches Slack as markup', async () => {
    const tag = 'v1<!channel><http://evil|click> @here';

    await botNotifier().send({
      capability: 'scan',
      blocks: [header(`Pushed ${tag}`), section(`Tag ${inlineCode(tag)} by ${escapeMrkdwn('<@U999>')}`)],
    });

    // mrkdwn (the top-level text and sections) carries no raw control sequence; the header is plain_text,
    // which Slack shows unformatted ("Formatting text for app surfaces"), so the tag is shown as typed.
    const body = JSON.parse(sink.messages[0]?.body ?? '{}') as { text: string; blocks: Block[] };
    const mrkdwn = [body.text, body.blocks[1]?.type === 'section' ? body.blocks[1].text?.text : undefined];
    const escapedTag = 'v1&lt;!channel&gt;&lt;http://evil|click&gt; @\u2060here';
    const escapedSection = `Tag \`${escapedTag}\` by &lt;@U999&gt;`;
    // In running text a bare address is shown as code (Slack would link it); inside code it already is.
    const escapedText = 'v1&lt;!channel&gt;&lt;`http://evil`|click&gt; @\u2060here';
    expect(mrkdwn).toEqual([`Pushed ${escapedText}\n${escapedSection}`, escapedSection]);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `Pushed ${tag}` } });
    expect(sink.summary(sink.messages[0] ?? fail())).toEqual([
      `# Pushed ${tag}`,
      `Tag \`v1<!channel><http://evil|click> @\u2060here\` by <@U999>`,
    ]);
  });

  it('fits an oversized message into what Slack accepts instead of having it rejected', async () => {
    const blocks = [section('x'.repeat(5000)), ...Array.from({ length: 59 }, (_, index) => section(`row ${index}`))];

    await webhookNotifier().send({ capability: 'logs', blocks });

    const received = sink.messages[0]?.blocks ?? [];
    expect(received).toHaveLength(50);
    expect(received.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '… 11 more blocks' }] });
    expect(JSON.stringify(received[0])).toMatch(/… \(\d+ more characters\)"}}$/);
  });

  it('works with a Powertools Logger as its logger', async () => {
    const logger = new Logger({ serviceName: 'eksops', logLevel: 'SILENT' });

    await expect(webhookNotifier({ logger }).send({ capability: 'tags', blocks: scanBlocks('t') })).resolves.toEqual({
      channel: 'webhook',
      attempts: 1,
    });
  });
});

describe('Slack notifier: one message per second per channel', () => {
  it('spaces three messages to one channel at least one second apart, in order', async () => {
    const notifier = botNotifier();

    await Promise.all(['1', '2', '3'].map((label) => notifier.send({ capability: 'scan', blocks: scanBlocks(label) })));

    expect(sink.messages.map((message) => [message.text, elapsed(message.receivedAt)])).toEqual([
      ['Image scan 1\n*1*', 0],
      ['Image scan 2\n*2*', 1000],
      ['Image scan 3\n*3*', 2000],
    ]);
  });

  it('does not make two channels wait for each other', async () => {
    const notifier = botNotifier();
    await Promise.all([
      notifier.send({ capability: 'scan', blocks: scanBlocks('scan 1') }),
      notifier.send({ capability: 'upgrade', blocks: scanBlocks('upgrade 1') }),
    ]);

    await Promise.all([
      notifier.send({ capability: 'scan', blocks: scanBlocks('scan 2') }),
      notifier.send({ capability: 'upgrade', blocks: scanBlocks('upgrade 2') }),
    ]);

    const arrivals = Object.fromEntries(sink.messages.map((message) => [message.text, elapsed(message.receivedAt)]));
    expect(arrivals).toEqual({
      'Image scan scan 1\n*scan 1*': 0,
      'Image scan upgrade 1\n*upgrade 1*': 0,
      // Serialised across channels, one of these would have arrived at 2000.
      'Image scan scan 2\n*scan 2*': 1000,
      'Image scan upgrade 2\n*upgrade 2*': 1000,
    });
  });
});

describe('Slack notifier: retries', () => {
  it('honours Retry-After on 429, then delivers the message once, and the next one after it', async () => {
    sink.failNext(1, { status: 429, retryAfterSeconds: 3 });
    const notifier = botNotifier();

    const [first] = await Promise.all([
      notifier.send({ capability: 'scan', blocks: scanBlocks('first') }),
      notifier.send({ capability: 'scan', blocks: scanBlocks('second') }),
    ]);

    expect(first.attempts).toBe(2);
    expect(sink.requests.map((request) => [request.status, request.outcome, elapsed(request.receivedAt)])).toEqual([
      [429, 'ratelimited', 0],
      [200, 'ok', 3000],
      [200, 'ok', 4000],
    ]);
    expect(sink.messages.map((message) => message.text)).toEqual(['Image scan first\n*first*', 'Image scan second\n*second*']);
  });

  it('honours Retry-After on a webhook too', async () => {
    sink.failNext(2, { status: 429, retryAfterSeconds: 2 });

    const delivery = await webhookNotifier().send({ capability: 'access', blocks: scanBlocks('a') });

    expect(delivery.attempts).toBe(3);
    expect(sink.requests.map((request) => elapsed(request.receivedAt))).toEqual([0, 2000, 4000]);
    expect(sink.messages).toHaveLength(1);
  });

  it('hands back a Retry-After longer than it may wait inside Lambda, as retryable', async () => {
    sink.failNext(1, { status: 429, retryAfterSeconds: 120 });

    const error = await deliveryError(webhookNotifier().send({ capability: 'scan', blocks: scanBlocks('a') }));

    expect([error.retryable, error.httpStatus, error.slackError, error.attempts]).toEqual([true, 429, 'rate_limited', 1]);
    expect(elapsed(clock.now())).toBe(0);
    expect(sink.requests).toHaveLength(1);
  });

  it('retries a 5xx with jittered exponential backoff, then delivers once', async () => {
    sink.failNext(2, { status: 503 });

    const delivery = await webhookNotifier({ retry: { baseDelayMs: 2000 } }).send({
      capability: 'upgrade',
      blocks: scanBlocks('u'),
    });

    // Full jitter with random() = 0.5: half of 2 s, then half of 4 s.
    expect(delivery.attempts).toBe(3);
    expect(sink.requests.map((request) => [request.status, elapsed(request.receivedAt)])).toEqual([
      [503, 0],
      [503, 1000],
      [200, 3000],
    ]);
    expect(sink.messages).toHaveLength(1);
  });

  it('gives up after the bounded attempts on a 5xx that does not end, as retryable', async () => {
    sink.failNext(10, { status: 500 });

    const error = await deliveryError(webhookNotifier().send({ capability: 'logs', blocks: scanBlocks('l') }));

    expect(error.name).toBe('SlackDeliveryError');
    expect([error.retryable, error.httpStatus, error.slackError, error.attempts]).toEqual([true, 500, 'rollup_error', 4]);
    expect(error.message).toBe(
      'Slack did not accept the logs message for the webhook channel after 4 attempts: HTTP 500 (rollup_error)',
    );
    expect(sink.requests).toHaveLength(4);
    expect(sink.messages).toHaveLength(0);
    expect(logLines.filter((line) => line.includes('retrying'))).toHaveLength(3);
    expectNoSecretIn(error, ...logLines);
  });

  it('retries network errors and keeps the URL out of the error it gives back', async () => {
    // Like undici, whose errors can quote what they were asked to fetch.
    const refused = (input: string | URL) => new Error(`connect ECONNREFUSED while posting to ${String(input)}`);
    const refusing: Fetch = (input) => Promise.reject(new TypeError('fetch failed', { cause: refused(input) }));

    const notifier = webhookNotifier({ fetch: refusing });
    const error = await deliveryError(notifier.send({ capability: 'scan', blocks: scanBlocks('n') }));

    expect([error.retryable, error.httpStatus, error.attempts]).toEqual([true, undefined, 4]);
    expect(error.message).toBe(
      'Slack did not accept the scan message for the webhook channel after 4 attempts: network error: fetch failed',
    );
    expect(inspect(error.cause, { depth: 5 })).toContain('ECONNREFUSED while posting to [redacted]');
    expectNoSecretIn(error, error.cause, ...logLines);
  });

  it('stops when the caller is out of time, without sending', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Lambda time budget spent'));

    const error = await deliveryError(
      botNotifier().send({ capability: 'scan', blocks: scanBlocks('x'), signal: controller.signal }),
    );

    expect([error.retryable, error.slackError, error.attempts]).toEqual([true, 'aborted', 0]);
    expect(sink.requests).toHaveLength(0);
  });
});

describe('Slack notifier: permanent errors are not retried', () => {
  it('reports an invalid bot token once, without printing it', async () => {
    const wrongToken = 'xoxb-9999-9999-s3cr3tWrongToken';

    const error = await deliveryError(botNotifier({}, wrongToken).send({ capability: 'scan', blocks: scanBlocks('a') }));

    expect([error.retryable, error.httpStatus, error.slackError, error.attempts]).toEqual([false, 200, 'invalid_auth', 1]);
    expect(error.message).toBe(
      'Slack did not accept the scan message for channel #eks-scans after 1 attempt: HTTP 200 (invalid_auth)',
    );
    expect(sink.requests).toHaveLength(1);
    expect(sink.requests[0]?.authorized).toBe(false);
    expectNoSecretIn(error, ...logLines);
    expect(inspect(error, { depth: 10 })).not.toContain(wrongToken);
  });

  it('reports an unknown channel once', async () => {
    const strictSink = new SlackSink({ clock, botToken: TOKEN, channels: ['#eks-alerts'] });
    await strictSink.start();
    try {
      const notifier = createSlackNotifier({
        transport: { kind: 'bot', token: TOKEN, defaultChannel: '#nowhere', apiBaseUrl: strictSink.apiBaseUrl },
        ...options({}),
      });

      const error = await deliveryError(notifier.send({ capability: 'tags', blocks: scanBlocks('t') }));

      expect([error.retryable, error.slackError, error.channel]).toEqual([false, 'channel_not_found', '#nowhere']);
      expect(strictSink.requests).toHaveLength(1);
    } finally {
      await strictSink.close();
    }
  });

  it('reports a revoked webhook once, without printing its URL', async () => {
    const revoked = `${sink.baseUrl}/services/T0001/B0001/s3cr3tRevokedPart`;

    const error = await deliveryError(webhookNotifier({}, revoked).send({ capability: 'scan', blocks: scanBlocks('a') }));

    expect([error.retryable, error.httpStatus, error.slackError, error.attempts]).toEqual([false, 404, 'no_service', 1]);
    expect(sink.requests).toHaveLength(1);
    expectNoSecretIn(error, ...logLines);
  });
});

describe('SlackSink: answers like Slack', () => {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('rejects more than 50 blocks on the webhook with 400 invalid_blocks', async () => {
    const response = await post(sink.webhookUrl, { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });

    expect([response.status, await response.text()]).toEqual([400, 'invalid_blocks']);
    expect(sink.messages).toHaveLength(0);
  });

  it('rejects a section text over 3,000 characters on chat.postMessage the way Slack words it', async () => {
    const response = await post(
      `${sink.apiBaseUrl}chat.postMessage`,
      { channel: 'C1', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] },
      { authorization: `Bearer ${TOKEN}` },
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
  });

  it('requires the channel and the token on chat.postMessage', async () => {
    const url = `${sink.apiBaseUrl}chat.postMessage`;
    const auth = { authorization: `Bearer ${TOKEN}` };

    const answers = await Promise.all([
      post(url, { text: 'hi' }, auth).then((response) => response.json()),
      post(url, { channel: 'C1', text: 'hi' }).then((response) => response.json()),
      post(url, { channel: 'C1' }, auth).then((response) => response.json()),
    ]);

    expect(answers).toEqual([
      { ok: false, error: 'channel_not_found' },
      { ok: false, error: 'not_authed' },
      { ok: false, error: 'no_text' },
    ]);
  });

  it('renders a message as plain text lines for a timeline', async () => {
    const blocks: Block[] = [
      header('Upgrade of prod-eu: 1.33 → 1.34'),
      section(`Control plane updated. ${escapeMrkdwn('R&D <team>')} notified <!subteam^S0123ABC>`),
      fields(['*Node groups*\n3/3', '*Add-ons*\n5/5']),
      divider(),
      context(['eksops upgrade', 'run 42']),
    ];

    await webhookNotifier().send({ capability: 'upgrade', blocks });

    expect(sink.summary(sink.messages[0] ?? fail())).toEqual([
      '# Upgrade of prod-eu: 1.33 → 1.34',
      'Control plane updated. R&D <team> notified @S0123ABC',
      '  *Node groups* 3/3',
      '  *Add-ons* 5/5',
      '  ────────',
      '  (eksops upgrade · run 42)',
    ]);
  });
});

function fail(): never {
  throw new Error('expected a message');
}
