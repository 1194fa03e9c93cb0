/** Slack mrkdwn as the demo page shows it; expected HTML written out by hand. */
import { describe, expect, it } from 'vitest';
import { formatSlackDate, mrkdwnToHtml, typedToHtml } from '../../src/demo/mrkdwn-html.js';

const names = {
  user: (id: string) => ({ U_RITA: 'Rita (sales)' })[id] ?? '',
  channel: (id: string) => ({ C_EXEC: 'sop-exec' })[id] ?? '',
};
const html = (s: string) => mrkdwnToHtml(s, names);

describe('mrkdwn → HTML', () => {
  it('bold, italic, strike and code; nothing inside code is formatted', () => {
    expect(html('*Total cost* _draft_ ~old~ `a *b* c`')).toBe(
      '<b>Total cost</b> <i>draft</i> <s>old</s> <code>a *b* c</code>',
    );
    expect(html('```\nMonth  *x*\n2027-05```')).toBe('<pre>Month  *x*\n2027-05</pre>');
    // Not formatting: a star inside a word, a lone underscore in an identifier.
    expect(html('2*3*4 FAM_1_2')).toBe('2*3*4 FAM_1_2');
  });

  it('a mark that can neither open nor close is text, inside a bold run too', () => {
    // Between letters, or beside the zero-width space escInMarks puts there (U+200B).
    expect(html('*a*b c*')).toBe('<b>a*b c</b>');
    expect(html('*Vote: \u200B*\u200Bbest\u200B*\u200B case*')).toBe(
      '<b>Vote: \u200B*\u200Bbest\u200B*\u200B case</b>',
    );
    expect(html('_see \u200B_\u200Bmemo\u200B_\u200B first_')).toBe(
      '<i>see \u200B_\u200Bmemo\u200B_\u200B first</i>',
    );
  });

  it('mentions and channels by name, falling back to the label or the id', () => {
    expect(html('<@U_RITA> in <#C_EXEC>')).toBe(
      '<span class="mention">@Rita (sales)</span> in <span class="mention">#sop-exec</span>',
    );
    expect(html('<@U_NOBODY|nob> <#C_X|x-chan> <!here>')).toBe(
      '<span class="mention">@nob</span> <span class="mention">#x-chan</span> <span class="mention">@here</span>',
    );
  });

  it('links keep their label; only http(s) and mailto become links', () => {
    expect(html('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" rel="noreferrer">the docs</a>',
    );
    expect(html('<javascript:alert(1)|click>')).toBe('<a href="#" rel="noreferrer">click</a>');
  });

  it('dates: 1 700 000 000 s is Tuesday 14 November 2023, 22:13:20 UTC', () => {
    expect(formatSlackDate(1_700_000_000, '{date_short} at {time}')).toBe('Nov 14, 2023 at 22:13');
    expect(formatSlackDate(1_700_000_000, '{date_long}')).toBe('Tuesday, November 14th, 2023');
    expect(formatSlackDate(1_700_000_000, '{date_num}')).toBe('2023-11-14');
    expect(html('due <!date^1700000000^{date_num}|Nov 14>')).toBe('due <time>2023-11-14</time>');
  });

  it('quotes, line breaks and emoji', () => {
    expect(html('&gt; first\n&gt; second\nafter :warning:')).toBe(
      '<blockquote>first<br>second</blockquote>after ⚠️',
    );
  });

  it('escapes what people typed: no markup gets through', () => {
    expect(html('<img src=x onerror=alert(1)>')).toBe(
      '<a href="#" rel="noreferrer">img src=x onerror=alert(1)</a>',
    );
    expect(html('Tom &amp; Jerry &lt;b&gt;hi&lt;/b&gt; "q"')).toBe(
      'Tom &amp; Jerry &lt;b&gt;hi&lt;/b&gt; &quot;q&quot;',
    );
    expect(typedToHtml('role <@U_RITA|rita> *sales*', names)).toBe(
      'role <span class="mention">@Rita (sales)</span> *sales*',
    );
  });
});
