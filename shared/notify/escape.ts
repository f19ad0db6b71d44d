/**
 * Text that comes from AWS resources (image tags, CVE descriptions, user names, log lines) is untrusted: it
 * must reach Slack as text, never as markup that mentions people or hides a link.
 */

// Slack, "Formatting text for app surfaces" (api.slack.com/reference/surfaces/formatting, "Escaping text"):
// &, < and > are the control characters of mrkdwn and must be sent as &amp; &lt; &gt; when they are not
// meant as markup; only these three. Escaping them is what neutralises <!channel>, <!here>, <!everyone>,
// <@U123>, <#C123>, <!subteam^S123> and <http://evil|click>: without a raw '<' there is no control sequence.
const CONTROL_CHARACTERS: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// Plain @here / @channel / @everyone (and @group, the legacy synonym of @channel) notify when Slack parses
// names: "Basic message formatting" (api.slack.com/docs/message-formatting, "Parsing modes") documents that
// link_names=1 and parse=full turn a typed "@everyone" into <!everyone>, and the text object reference
// (docs.slack.dev, MrkdwnElement.verbatim) says that with verbatim false, the default, "certain mentions will
// be automatically parsed". Slack has since stopped converting plain @here in bot messages by default
// (github.com/18F/charlie/pull/353, 2021), and eksops never sets link_names or parse, but a setting or a
// Slack change must not turn an image tag into a channel-wide ping: a word joiner after the '@' keeps the
// text readable and stops the keyword from matching.
const SPECIAL_MENTION = /@(here|channel|everyone|group)\b/gi;
const WORD_JOINER = '\u2060';

// Characters that change how text reads without showing themselves: the bidirectional embeddings, overrides
// and isolates (U+202A–U+202E, U+2066–U+2069), the directional marks (U+200E, U+200F, U+061C), and the
// zero-width ones (U+200B–U+200D, U+2060, U+FEFF). "release-v1.2\u202Egnp.exe" would read as another name;
// a zero-width space splits a word so that it no longer matches what a reader searches for.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

// Slack turns a bare address into a link by itself (scheme URLs, www. hosts, mailto:): from an untrusted
// field it is shown as code instead, where it stays text.
const BARE_URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)[^\s`<>|]+/gi;

function neutralise(untrusted: string): string {
  return untrusted
    .replace(INVISIBLE, '')
    .replace(/[&<>]/g, (character) => CONTROL_CHARACTERS[character] ?? character)
    .replace(SPECIAL_MENTION, `@${WORD_JOINER}$1`);
}

/**
 * Untrusted text → mrkdwn that renders as the same text and cannot mention, link or format a control
 * sequence; invisible direction and zero-width characters are removed, and bare addresses shown as code.
 */
export function escapeMrkdwn(untrusted: string): string {
  const text = untrusted.replace(INVISIBLE, '');
  let escaped = '';
  let from = 0;
  for (const match of text.matchAll(BARE_URL)) {
    escaped += neutralise(text.slice(from, match.index)) + `\`${neutralise(match[0])}\``;
    from = match.index + match[0].length;
  }
  return escaped + neutralise(text.slice(from));
}

// mrkdwn has no escape for a backtick inside inline code: a literal ` would close the span and let the rest
// of the value be read as markup. U+02CB (modifier letter grave accent) looks the same and closes nothing.
const LOOKALIKE_BACKTICK = '\u02CB';

/** Untrusted value → an inline code span (`value`) that nothing inside can close or break across lines. */
export function inlineCode(untrusted: string): string {
  const flattened = untrusted.replace(/\r\n|\r|\n/g, ' ').replaceAll('`', LOOKALIKE_BACKTICK).replace(INVISIBLE, '');
  if (flattened.trim() === '') return '_(empty)_';
  return `\`${neutralise(flattened)}\``;
}
