import { describe, expect, it } from '@jest/globals';
import { escapeMrkdwn, inlineCode } from '../../../shared/notify/escape.ts';

const WORD_JOINER = '\u2060';

describe('escapeMrkdwn', () => {
  it('replaces exactly the three control characters, ampersand first', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    // An already-escaped entity in untrusted text is shown literally, not decoded by Slack.
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
    expect(escapeMrkdwn('quotes "stay" \'as\' they are')).toBe('quotes "stay" \'as\' they are');
  });

  it.each([
    ['a channel-wide mention', '<!channel>', '&lt;!channel&gt;'],
    ['an online-members mention', '<!here>', '&lt;!here&gt;'],
    ['an everyone mention', '<!everyone>', '&lt;!everyone&gt;'],
    ['a user mention', '<@U123>', '&lt;@U123&gt;'],
    ['a channel link', '<#C1>', '&lt;#C1&gt;'],
    ['a user group mention', '<!subteam^S1>', '&lt;!subteam^S1&gt;'],
    ['a disguised link', '<http://evil|click>', '&lt;`http://evil`|click&gt;'],
  ])('neutralises %s injected through an image tag', (_form, injected, expected) => {
    const escaped = escapeMrkdwn(`nginx:1.27-${injected}`);
    expect(escaped).toBe(`nginx:1.27-${expected}`);
    expect(escaped).not.toMatch(/[<>]/);
  });

  it.each(['@here', '@channel', '@everyone', '@group', '@HERE', '@Channel'])(
    'breaks the plain special mention %s with an invisible word joiner',
    (mention) => {
      const escaped = escapeMrkdwn(`deployed by ${mention} today`);
      expect(escaped).toBe(`deployed by @${WORD_JOINER}${mention.slice(1)} today`);
      expect(escaped.toLowerCase()).not.toContain(mention.toLowerCase());
    },
  );

  it('leaves words that only start like a special mention alone', () => {
    expect(escapeMrkdwn('@heretic @channels @everyones alice@example.com')).toBe(
      '@heretic @channels @everyones alice@example.com',
    );
  });
});

describe('inlineCode', () => {
  it('wraps a value in one code span', () => {
    expect(inlineCode('registry.example.com/app:v1')).toBe('`registry.example.com/app:v1`');
  });

  it('does not let a backtick inside close the span', () => {
    const rendered = inlineCode('v1` <!channel> *bold* `');
    expect(rendered).toBe('`v1\u02CB &lt;!channel&gt; *bold* \u02CB`');
    expect(rendered.match(/`/g)).toHaveLength(2);
  });

  it('escapes control characters and special mentions inside the span', () => {
    expect(inlineCode('a&b <@U1> @here')).toBe(`\`a&amp;b &lt;@U1&gt; @${WORD_JOINER}here\``);
  });

  it('keeps the span on one line', () => {
    expect(inlineCode('line one\nline two\r\nthree')).toBe('`line one line two three`');
  });

  it('renders an empty value visibly instead of two bare backticks', () => {
    expect(inlineCode('')).toBe('_(empty)_');
    expect(inlineCode('  ')).toBe('_(empty)_');
  });
});

describe('escapeMrkdwn: text that reads as something else', () => {
  it.each([
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['an isolate and a mark', 'a\u2067b\u2069c\u200Fd\u061Ce', 'abcde'],
    ['zero-width characters', 'ad\u200Bm\u200Ci\u200Dn\uFEFF\u2060', 'admin'],
  ])('removes %s', (_form, untrusted, expected) => {
    expect(escapeMrkdwn(untrusted)).toBe(expected);
    expect(inlineCode(untrusted)).toBe(`\`${expected}\``);
  });

  it('keeps a zero-width character from hiding a special mention', () => {
    expect(escapeMrkdwn('@\u200Bhere')).toBe('@\u2060here');
  });

  it.each([
    ['a scheme URL', 'see https://evil.example/login now', 'see `https://evil.example/login` now'],
    ['a www host', 'www.evil.example', '`www.evil.example`'],
    ['a mailto address', 'mailto:a@b.example', '`mailto:a@b.example`'],
    ['a URL with markup', 'https://x.example/?a=1&b=<2>', '`https://x.example/?a=1&amp;b=`&lt;2&gt;'],
  ])('renders %s from an untrusted field as code', (_form, untrusted, expected) => {
    expect(escapeMrkdwn(untrusted)).toBe(expected);
  });
});
