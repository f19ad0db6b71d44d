import { escapeMrkdwn, inlineCode } from './escape.ts';

/**
 * The few Block Kit blocks eksops messages use, their builders, and `fitMessage`, which keeps a message
 * inside Slack's limits with the cut made visible, so that a long scan report is shortened instead of
 * rejected with invalid_blocks.
 *
 * Builders take mrkdwn: compose it from trusted markup and `escapeMrkdwn` / `inlineCode` of untrusted values.
 */

export interface PlainTextObject {
  type: 'plain_text';
  text: string;
}
export interface MrkdwnTextObject {
  type: 'mrkdwn';
  text: string;
}
export type TextObject = PlainTextObject | MrkdwnTextObject;

export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
}
export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
}
export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
}
export interface DividerBlock {
  type: 'divider';
}
/** A confirmation dialog shown before a button's action is sent (composition object "confirm"). */
export interface ConfirmObject {
  title: PlainTextObject;
  text: PlainTextObject;
  confirm: PlainTextObject;
  deny: PlainTextObject;
  style?: 'primary' | 'danger';
}
export interface ButtonElement {
  type: 'button';
  text: PlainTextObject;
  action_id: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmObject;
}
export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: ButtonElement[];
}
export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

// Slack, Block Kit reference (docs.slack.dev/reference/block-kit/blocks): "You can include up to 50 blocks in
// each message". Header block: plain_text "Maximum length for the text in this field is 150 characters".
// Section block: text "maximum length is 3000 characters"; fields "Maximum number of items is 10. Maximum
// length for the text in each item is 2000 characters". Context block: elements "Maximum number of items is
// 10". Text object (composition objects reference): text "maximum length is 3000 characters".
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  textObjectText: 3000,
  // Slack, changelog "Truncating really long messages" (2018-04): the top-level text is truncated beyond
  // 40,000 characters and apps were asked to stay under 4,000. It is the notification preview and the
  // screen-reader text, so we keep it to the smaller figure.
  fallbackText: 4000,
  // Button element: text "Maximum length for this field is 75 characters"; action_id "255 characters";
  // value "Maximum length for this field is 2000 characters". Actions block: "up to 25 elements", block_id 255.
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  actionsElements: 25,
} as const;

export function header(text: string): HeaderBlock {
  // plain_text is shown as typed (no mrkdwn, no mentions), so untrusted text needs no escaping here.
  return { type: 'header', text: { type: 'plain_text', text } };
}

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn } };
}

export function fields(items: readonly string[]): SectionBlock {
  return { type: 'section', fields: items.map((text) => ({ type: 'mrkdwn', text })) };
}

export function context(elements: readonly string[]): ContextBlock {
  return { type: 'context', elements: elements.map((text) => ({ type: 'mrkdwn', text })) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/**
 * A button. Its `value` comes back verbatim in the interaction payload: an identifier, never a secret (anyone
 * in the channel sees the message). Too long an action_id or value is a programming error, not a cut.
 */
export function button(options: { text: string; actionId: string; value: string; style?: 'primary' | 'danger'; confirm?: { title: string; text: string; confirm: string; deny: string } }): ButtonElement {
  if (options.actionId.length > SLACK_LIMITS.actionId) throw new RangeError(`action_id over ${SLACK_LIMITS.actionId} characters`);
  if (options.value.length > SLACK_LIMITS.buttonValue) throw new RangeError(`button value over ${SLACK_LIMITS.buttonValue} characters`);
  const plain = (text: string, max: number): PlainTextObject => ({ type: 'plain_text', text: truncateText(text, max) });
  return {
    type: 'button',
    text: plain(options.text, SLACK_LIMITS.buttonText),
    action_id: options.actionId,
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm
      ? {
          confirm: {
            title: plain(options.confirm.title, 100),
            text: plain(options.confirm.text, 300),
            confirm: plain(options.confirm.confirm, 30),
            deny: plain(options.confirm.deny, 30),
            ...(options.style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}

export function actions(elements: readonly ButtonElement[], blockId?: string): ActionsBlock {
  if (elements.length === 0 || elements.length > SLACK_LIMITS.actionsElements) throw new RangeError(`an actions block holds 1 to ${SLACK_LIMITS.actionsElements} elements`);
  return { type: 'actions', ...(blockId ? { block_id: blockId } : {}), elements: [...elements] };
}

/**
 * One item per line under an optional title, cut at an item boundary to fit a section: a list cut short
 * ends with "… N more" (N = the items left out).
 */
export function list(items: readonly string[], options: { title?: string; maxItems?: number } = {}): SectionBlock {
  const limit = SLACK_LIMITS.sectionText;
  const head = options.title === undefined ? [] : [truncateText(options.title, Math.floor(limit / 2))];
  if (items.length === 0) return section([...head, '_(none)_'].join('\n'));

  const maxItems = Math.max(0, Math.min(items.length, options.maxItems ?? items.length));
  const shown: string[] = [];
  for (const item of items.slice(0, maxItems)) {
    const left = items.length - shown.length - 1;
    const more = left > 0 ? [`… ${left} more`] : [];
    const line = `• ${item}`;
    const fits = [...head, ...shown, line, ...more].join('\n').length <= limit;
    if (fits) {
      shown.push(line);
      continue;
    }
    if (shown.length === 0) {
      // A single huge first item: show its beginning rather than nothing at all.
      const room = limit - [...head, '', ...more].join('\n').length;
      shown.push(truncateText(line, room));
    }
    break;
  }
  const left = items.length - shown.length;
  return section([...head, ...shown, ...(left > 0 ? [`… ${left} more`] : [])].join('\n'));
}

/** mrkdwn for a mention of a validated user group (S…) or user (U…/W…) ID. */
export function mention(slackId: string): string {
  if (!/^[SUW][A-Z0-9]+$/.test(slackId)) throw new RangeError('not a Slack user group or user ID');
  return slackId.startsWith('S') ? `<!subteam^${slackId}>` : `<@${slackId}>`;
}

/**
 * A user as Slack reports one (an interaction's user.id, a recorded approver): a mention when it is a user
 * ID (U…/W…), otherwise the value shown as code, never as markup.
 */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? mention(userId) : inlineCode(userId);
}

/**
 * Cuts `text` to at most `max` characters, ending with "… (N more characters)". Never cuts inside a
 * surrogate pair, an HTML entity or a <…> control sequence, which would leave broken markup behind.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let keep = max;
  for (;;) {
    const kept = safePrefix(text, keep);
    const suffix = `… (${text.length - kept.length} more characters)`;
    if (kept.length + suffix.length <= max || keep <= 0) return (kept + suffix).slice(0, Math.max(max, 0));
    keep = Math.min(keep, kept.length) - (kept.length + suffix.length - max);
  }
}

function safePrefix(text: string, length: number): string {
  let prefix = text.slice(0, Math.max(0, length));
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) prefix = prefix.slice(0, -1);
  const openSequence = prefix.lastIndexOf('<');
  if (openSequence > prefix.lastIndexOf('>')) prefix = prefix.slice(0, openSequence);
  const openEntity = prefix.lastIndexOf('&');
  if (openEntity > prefix.lastIndexOf(';') && prefix.length - openEntity < 6) prefix = prefix.slice(0, openEntity);
  return prefix;
}

/**
 * A copy of `blocks` that Slack accepts, every cut stated in the message itself. Actions blocks (buttons
 * someone must be able to press) are never the ones cut: the text before them is.
 */
export function fitMessage(blocks: readonly Block[]): Block[] {
  const fitted = blocks.map(fitBlock);
  const max = SLACK_LIMITS.blocksPerMessage;
  if (fitted.length <= max) return fitted;
  const kept = fitted.filter((block) => block.type === 'actions').slice(0, max - 1);
  const room = max - 1 - kept.length;
  const others = fitted.filter((block) => block.type !== 'actions');
  const dropped = others.length - room;
  const notice = context([`… ${dropped} more blocks`]);
  // The buttons keep their place after the kept text (they usually close the message).
  return [...others.slice(0, room), notice, ...kept];
}

function fitBlock(block: Block): Block {
  switch (block.type) {
    case 'header':
      return { ...block, text: fitTextObject(block.text, SLACK_LIMITS.headerText) };
    case 'section':
      return fitSection(block);
    case 'context':
      return {
        ...block,
        elements: capItems(block.elements, SLACK_LIMITS.contextElements).map((element) =>
          fitTextObject(element, SLACK_LIMITS.textObjectText),
        ),
      };
    case 'divider':
    case 'actions':
      return block;
  }
}

function fitSection(block: SectionBlock): SectionBlock {
  const fitted: SectionBlock = { ...block };
  if (block.text !== undefined) fitted.text = fitTextObject(block.text, SLACK_LIMITS.sectionText);
  if (block.fields !== undefined) {
    fitted.fields = capItems(block.fields, SLACK_LIMITS.sectionFields).map((field) =>
      fitTextObject(field, SLACK_LIMITS.sectionFieldText),
    );
  }
  return fitted;
}

function fitTextObject<T extends TextObject>(object: T, max: number): T {
  return object.text.length <= max ? object : { ...object, text: truncateText(object.text, max) };
}

function capItems(items: readonly TextObject[], max: number): TextObject[] {
  if (items.length <= max) return [...items];
  const left = items.length - (max - 1);
  return [...items.slice(0, max - 1), { type: 'mrkdwn', text: `… ${left} more` }];
}

/**
 * The top-level `text`: what notifications, previews and screen readers show. Built from the header and the
 * first section text. The top-level text is mrkdwn, so plain text is escaped on the way in.
 */
export function fallbackText(blocks: readonly Block[]): string {
  const headerBlock = blocks.find((block): block is HeaderBlock => block.type === 'header');
  const sectionText = blocks.find(
    (block): block is SectionBlock => block.type === 'section' && block.text !== undefined,
  )?.text;
  const parts = [headerBlock?.text, sectionText].flatMap((object) => (object === undefined ? [] : [asMrkdwn(object)]));
  return boundFallbackText(parts.filter((part) => part !== '').join('\n'));
}

function asMrkdwn(object: TextObject): string {
  return object.type === 'plain_text' ? escapeMrkdwn(object.text) : object.text;
}

export function boundFallbackText(text: string): string {
  return truncateText(text, SLACK_LIMITS.fallbackText);
}
