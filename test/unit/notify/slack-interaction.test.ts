import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { isSlackResponseUrl, parseInteraction, slackSignature, SlackSignatureError, verifySlackSignature } from '../../../shared/notify/slack-interaction.ts';

// Slack's documented example ("Verifying requests from Slack"): secret, timestamp and body, and the signature it gives.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOCUMENTED_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = new Date(Number(TIMESTAMP) * 1000);

const verify = (overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) => () =>
  verifySlackSignature({ signingSecret: SECRET, timestamp: TIMESTAMP, signature: DOCUMENTED_SIGNATURE, rawBody: BODY, now: AT, ...overrides });
const reason = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return error instanceof SlackSignatureError ? error.reason : `unexpected ${String(error)}`;
  }
  return 'accepted';
};

describe('Slack request signatures', () => {
  it("computes Slack's documented example signature", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(DOCUMENTED_SIGNATURE);
    expect(slackSignature(SECRET, TIMESTAMP, Buffer.from(BODY))).toBe(DOCUMENTED_SIGNATURE);
  });

  it('accepts the documented request within five minutes either way', () => {
    expect(reason(verify())).toBe('accepted');
    expect(reason(verify({ now: new Date(AT.getTime() + 300_000) }))).toBe('accepted');
    expect(reason(verify({ now: new Date(AT.getTime() - 300_000) }))).toBe('accepted');
  });

  it.each([
    ['a request older than five minutes (replay)', { now: new Date(AT.getTime() + 301_000) }, 'stale'],
    ['a timestamp in the future', { now: new Date(AT.getTime() - 301_000) }, 'stale'],
    ['another secret', { signingSecret: 'another-secret' }, 'mismatch'],
    ['a changed body', { rawBody: `${BODY}&admin=true` }, 'mismatch'],
    ['a signature of another length', { signature: 'v0=abc' }, 'mismatch'],
    ['an upper-case copy of the signature', { signature: DOCUMENTED_SIGNATURE.toUpperCase() }, 'mismatch'],
    ['no signature', { signature: undefined }, 'missing-headers'],
    ['no timestamp', { timestamp: undefined }, 'missing-headers'],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }, 'bad-timestamp'],
  ] as const)('refuses %s', (_label, overrides, expected) => {
    expect(reason(verify(overrides))).toBe(expected);
  });

  it('signs exactly the bytes it is given (the HMAC of v0:timestamp:body)', () => {
    const expected = `v0=${createHmac('sha256', 's').update('v0:1:é').digest('hex')}`;
    expect(slackSignature('s', '1', Buffer.from('é', 'utf8'))).toBe(expected);
  });
});

describe('interaction payloads', () => {
  const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

  it('reads the user, the actions and the response_url of a block_actions payload', () => {
    const parsed = parseInteraction(form({ type: 'block_actions', user: { id: 'U1', username: 'alice' }, actions: [{ action_id: 'approve', value: 'id-1', type: 'button' }], response_url: 'https://hooks.slack.com/actions/T1/2/3', team: { id: 'T1' } }));
    expect(parsed.user.id).toBe('U1');
    expect(parsed.actions[0]).toMatchObject({ action_id: 'approve', value: 'id-1' });
    expect(parsed.response_url).toBe('https://hooks.slack.com/actions/T1/2/3');
  });

  it.each([
    ['no payload field', 'foo=bar', /no payload field/],
    ['a payload that is not JSON', 'payload=%7B', /not JSON/],
    ['another interaction type', form({ type: 'view_submission', user: { id: 'U1' }, actions: [{ action_id: 'x' }] }), /type/],
    ['no actions', form({ type: 'block_actions', user: { id: 'U1' }, actions: [] }), /actions/],
    ['no user', form({ type: 'block_actions', actions: [{ action_id: 'x' }] }), /user/],
  ])('refuses %s with the reason', (_label, body, message) => {
    expect(() => parseInteraction(body)).toThrow(message);
  });

  it.each([
    ['https://hooks.slack.com/actions/T1/2/3', true],
    ['https://hooks.slack-gov.com/actions/T1/2/3', true],
    ['http://hooks.slack.com/actions/T1/2/3', false],
    ['https://hooks.slack.com:8443/actions/T1/2/3', false],
    ['https://hooks.slack.com.evil.example/actions', false],
    ['https://169.254.169.254/latest/meta-data', false],
    ['not a url', false],
  ])('follows %s as a response_url: %s', (url, allowed) => {
    expect(isSlackResponseUrl(url)).toBe(allowed);
  });
});
