import { describe, expect, it } from '@jest/globals';
import {
  actions,
  type Block,
  button,
  type SectionBlock,
  boundFallbackText,
  context,
  divider,
  fallbackText,
  fields,
  fitMessage,
  header,
  list,
  mention,
  section,
  SLACK_LIMITS,
  truncateText,
  userMention,
} from '../../../shared/notify/blocks.ts';

const text = (length: number, unit = 'x') => unit.repeat(length);
const sectionText = (block: Block | undefined): string => {
  if (block?.type !== 'section' || block.text === undefined) throw new Error('expected a section with text');
  return block.text.text;
};
const moreCharacters = (cut: string) => Number(/… \((\d+) more characters\)$/.exec(cut)?.[1]);

describe('block builders', () => {
  it('build the Block Kit JSON Slack expects', () => {
    expect([header('Scan'), section('*2* findings'), fields(['*a*', 'b']), context(['c']), divider()]).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Scan' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*2* findings' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*a*' }, { type: 'mrkdwn', text: 'b' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'c' }] },
      { type: 'divider' },
    ]);
  });

  it('mention renders a user group and a user', () => {
    expect(mention('S0123ABC')).toBe('<!subteam^S0123ABC>');
    expect(mention('U0123ABC')).toBe('<@U0123ABC>');
    expect(() => mention('<!channel>')).toThrow(RangeError);
  });

  it('userMention mentions a user ID and shows anything else as code, never as markup', () => {
    expect(userMention('U0123ABC')).toBe('<@U0123ABC>');
    expect(userMention('W0123ABC')).toBe('<@W0123ABC>');
    expect(userMention('S0123ABC')).toBe('`S0123ABC`');
    expect(userMention('<!channel>')).toBe('`&lt;!channel&gt;`');
  });
});

describe('list', () => {
  it('renders one item per line under its title', () => {
    expect(sectionText(list(['CVE-1', 'CVE-2'], { title: '*Critical*' }))).toBe('*Critical*\n• CVE-1\n• CVE-2');
  });

  it('says so when there is nothing to list', () => {
    expect(sectionText(list([], { title: '*Critical*' }))).toBe('*Critical*\n_(none)_');
  });

  it('keeps every item when the list is exactly at the section limit', () => {
    // 29 lines of "• " + 98 characters, one of "• " + 69, and 29 newlines: 2,900 + 71 + 29 = 3,000.
    const items = [...Array.from({ length: 29 }, () => text(98)), text(69)];
    const rendered = sectionText(list(items));
    expect(rendered.length).toBe(SLACK_LIMITS.sectionText);
    expect(rendered.split('\n')).toHaveLength(30);
    expect(rendered).not.toContain('more');
  });

  it('cuts at an item boundary and ends with the number of items left out', () => {
    const items = Array.from({ length: 100 }, (_, index) => `CVE-2026-${String(index).padStart(4, '0')} ${text(60)}`);
    const rendered = sectionText(list(items));
    const lines = rendered.split('\n');
    const shown = lines.filter((line) => line.startsWith('• '));
    expect(rendered.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(lines.at(-1)).toBe(`… ${100 - shown.length} more`);
    expect(shown.every((line, index) => line === `• ${items[index]}`)).toBe(true);
  });

  it('honours maxItems', () => {
    expect(sectionText(list(['a', 'b', 'c', 'd'], { maxItems: 2 }))).toBe('• a\n• b\n… 2 more');
  });

  it('shows the beginning of a first item too long for a section', () => {
    const rendered = sectionText(list([text(5000), 'second']));
    expect(rendered.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(rendered).toMatch(/^• x+… \(\d+ more characters\)\n… 1 more$/);
  });
});

describe('truncateText', () => {
  it('leaves text at the limit untouched', () => {
    expect(truncateText(text(10), 10)).toBe(text(10));
  });

  it('ends a cut with the number of characters left out', () => {
    const cut = truncateText(text(5000), 3000);
    expect(cut.length).toBe(3000);
    expect(cut.length - `… (${moreCharacters(cut)} more characters)`.length + moreCharacters(cut)).toBe(5000);
  });

  it('never splits a surrogate pair, an entity or a control sequence', () => {
    for (const [input, max] of [
      [`${text(20)}😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀`, 50],
      [`${text(20)}&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;`, 50],
      [`${text(20)} <!subteam^S0123ABC> <!subteam^S0123ABC> <!subteam^S0123ABC>`, 50],
    ] as const) {
      for (let limit = max - 8; limit <= max; limit += 1) {
        const cut = truncateText(input, limit);
        const kept = cut.replace(/… \(\d+ more characters\)$/, '');
        expect(cut.length).toBeLessThanOrEqual(limit);
        expect(kept).not.toMatch(/[\uD800-\uDBFF]$/);
        expect(kept).not.toMatch(/&[a-z]{0,3}$/);
        expect(kept.lastIndexOf('<')).toBeLessThanOrEqual(kept.lastIndexOf('>'));
        expect(input.startsWith(kept)).toBe(true);
        expect(kept.length + moreCharacters(cut)).toBe(input.length);
      }
    }
  });
});

describe('fitMessage', () => {
  it('returns a message within every limit unchanged', () => {
    const blocks: Block[] = [
      header(text(150)),
      section(text(3000)),
      fields(Array.from({ length: 10 }, () => text(2000))),
      context(Array.from({ length: 10 }, () => 'c')),
      ...Array.from({ length: 46 }, () => divider()),
    ];
    expect(blocks).toHaveLength(50);
    expect(fitMessage(blocks)).toEqual(blocks);
  });

  it('cuts a header over 150 characters, visibly', () => {
    const [fitted] = fitMessage([header(text(151))]);
    expect(fitted).toEqual({ type: 'header', text: { type: 'plain_text', text: truncateText(text(151), 150) } });
    expect(fitted?.type === 'header' && fitted.text.text.length).toBe(150);
    expect(fitted?.type === 'header' && fitted.text.text).toMatch(/… \(\d+ more characters\)$/);
  });

  it('cuts a section text over 3,000 characters, visibly', () => {
    const cut = sectionText(fitMessage([section(text(3001))])[0]);
    expect(cut.length).toBe(3000);
    expect(cut.replace(/… \(\d+ more characters\)$/, '').length + moreCharacters(cut)).toBe(3001);
  });

  it('keeps 10 fields, the last one saying how many were left out', () => {
    const fitted = fitMessage([fields(Array.from({ length: 12 }, (_, index) => `f${index}`))])[0] as SectionBlock;
    expect(fitted.fields?.map((field) => field.text)).toEqual([
      ...Array.from({ length: 9 }, (_, index) => `f${index}`),
      '… 3 more',
    ]);
  });

  it('cuts a field over 2,000 characters and leaves one at 2,000 alone', () => {
    const fitted = fitMessage([fields([text(2000), text(2001)])])[0] as SectionBlock;
    expect(fitted.fields?.[0]?.text).toBe(text(2000));
    const cut = fitted.fields?.[1]?.text ?? '';
    expect(cut.length).toBe(2000);
    expect(cut.replace(/… \(\d+ more characters\)$/, '').length + moreCharacters(cut)).toBe(2001);
  });

  it('keeps 10 context elements, the last one saying how many were left out', () => {
    const fitted = fitMessage([context(Array.from({ length: 11 }, (_, index) => `e${index}`))])[0];
    expect(fitted?.type === 'context' && fitted.elements.map((element) => element.text)).toEqual([
      ...Array.from({ length: 9 }, (_, index) => `e${index}`),
      '… 2 more',
    ]);
  });

  it('drops blocks beyond 50 and says how many in the last block', () => {
    const blocks = Array.from({ length: 60 }, (_, index) => section(`block ${index}`));
    const fitted = fitMessage(blocks);
    expect(fitted).toHaveLength(50);
    expect(fitted.slice(0, 49)).toEqual(blocks.slice(0, 49));
    expect(fitted[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '… 11 more blocks' }] });
  });

  it('does not change the blocks it was given', () => {
    const blocks = [section(text(4000))];
    const copy = structuredClone(blocks);
    fitMessage(blocks);
    expect(blocks).toEqual(copy);
  });
});

describe('fallbackText', () => {
  it('joins the header and the first section text, escaping the plain-text header', () => {
    const blocks = [header('Image nginx:<!channel> scanned'), context(['meta']), section('*2* critical'), section('more')];
    expect(fallbackText(blocks)).toBe('Image nginx:&lt;!channel&gt; scanned\n*2* critical');
  });

  it('is bounded, and so is a text given by the caller', () => {
    const bounded = fallbackText([header(text(100)), section(text(5000))]);
    expect(bounded.length).toBe(SLACK_LIMITS.fallbackText);
    expect(bounded).toMatch(/… \(\d+ more characters\)$/);
    expect(boundFallbackText(text(50_000)).length).toBe(SLACK_LIMITS.fallbackText);
    expect(boundFallbackText('short')).toBe('short');
  });

  it('is empty when there is nothing to say', () => {
    expect(fallbackText([divider()])).toBe('');
  });
});

describe('buttons', () => {
  it('never cuts the actions block when a message has too many blocks, and says what it dropped', () => {
    const buttons = actions([button({ text: 'Approve', actionId: 'approve', value: 'id-1', style: 'primary' })]);
    const fitted = fitMessage([...Array.from({ length: 60 }, (_, index) => section(`line ${index}`)), buttons]);

    expect(fitted).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    expect(fitted.at(-1)).toEqual(buttons);
    expect(fitted.at(-2)).toEqual(context(['… 12 more blocks']));
    expect(fitted.at(-3)).toEqual(section('line 47'));
  });

  it('shortens a button label to 75 characters and keeps the confirm dialog within its limits', () => {
    const element = button({ text: 'A'.repeat(100), actionId: 'abort', value: 'id', style: 'danger', confirm: { title: 'T'.repeat(200), text: 'Sure?', confirm: 'Abort', deny: 'Keep' } });

    expect(element.text.text).toHaveLength(75);
    expect(element.confirm?.title.text).toHaveLength(100);
    expect(element.confirm?.style).toBe('danger');
  });

  it('refuses what Slack would reject outright: a value over 2,000 characters, an empty actions block', () => {
    expect(() => button({ text: 'Go', actionId: 'go', value: 'x'.repeat(2001) })).toThrow(RangeError);
    expect(() => actions([])).toThrow(RangeError);
  });
});
