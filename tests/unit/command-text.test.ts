/**
 * Slash-command text both ways: the stand-in escapes what a person typed as Slack does for a
 * command with `should_escape: true`, keeping the control sequences the client made; the bot
 * reads Slack's three entities back once. Expected texts written out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  readableMessageText,
  unescapeSlackText,
  unnamedMentions,
} from '../../src/slack/command-text.js';
import { manifestSlashCommands, slackCommandText } from '../../src/slack-standin/index.js';

describe('the stand-in sends command text as Slack does', () => {
  it('escapes &, < and > that were typed, keeps mentions, channels and links', () => {
    expect(slackCommandText('R&D <beta> & a > b', true)).toBe(
      'R&amp;D &lt;beta&gt; &amp; a &gt; b',
    );
    expect(
      slackCommandText(
        'role <@U012AB|rita> <#C0123|sop-demand> <!here> <!subteam^S01|@ops> <https://x.example|site> <mailto:a@b.example>',
        true,
      ),
    ).toBe(
      'role <@U012AB|rita> <#C0123|sop-demand> <!here> <!subteam^S01|@ops> <https://x.example|site> <mailto:a@b.example>',
    );
    expect(slackCommandText('<@U1> says <b>&lt;</b>', true)).toBe(
      '<@U1> says &lt;b&gt;&amp;lt;&lt;/b&gt;',
    );
    expect(slackCommandText('a < b', false)).toBe('a < b');
  });

  it('knows which commands manifest.json escapes', () => {
    expect(manifestSlashCommands().map((c) => [c.command, c.should_escape === true])).toEqual([
      ['/forecast', true],
      ['/capacity', true],
      ['/sop', true],
    ]);
  });
});

describe('the bot reads the entities back once', () => {
  it('&amp; &lt; &gt; become & < >, in one pass', () => {
    expect(unescapeSlackText('R&amp;D &lt;beta&gt; launch')).toBe('R&D <beta> launch');
    expect(unescapeSlackText('&amp;lt; is how you write &lt;')).toBe('&lt; is how you write <');
    expect(unescapeSlackText('<@U1|rita> &quot;as is&quot; &nbsp;')).toBe(
      '<@U1|rita> &quot;as is&quot; &nbsp;',
    );
  });

  it('undoes the stand-in’s escaping exactly', () => {
    const typed = 'FAM-1 2027-07 +10% promotion "R&D <beta> &amp; more" <@U1|rita>';
    expect(unescapeSlackText(slackCommandText(typed, true))).toBe(typed);
  });
});

describe('a message read back as plain text (the "Make an S&OP action" form)', () => {
  it('shows mentions, channels, specials, user groups, dates and links as Slack shows them', () => {
    expect(
      readableMessageText(
        '<!channel> <@U012AB|rita> and <@U034CD> in <#C0123|sop-demand> (<#C0456>), <!here|here>, <!subteam^S01|@ops>, by <!date^1800000000^{date}|Jan 15>: <https://x.example/po|PO 12>, <https://y.example>, <mailto:a@b.example|a@b.example>',
      ),
    ).toBe(
      '@channel @rita and @U034CD in #sop-demand (#C0456), @here, @ops, by Jan 15: PO 12 (https://x.example/po), https://y.example, a@b.example',
    );
  });

  it('names a mention sent without its name, given the names; each such person listed once', () => {
    const text = '<@U034CD> and <@U012AB|rita> ask <@W0567> & <@U034CD> (not <#C0123>, <!here>)';
    expect(unnamedMentions(text)).toEqual(['U034CD', 'W0567']);
    // A name as users.info gives it, "&" and "<" included, shown as it is.
    const names: Record<string, string> = { U034CD: 'Otto Lind', W0567: 'R&D <ops>' };
    expect(readableMessageText(text, (id) => names[id] ?? id)).toBe(
      '@Otto Lind and @rita ask @R&D <ops> & @Otto Lind (not #C0123, @here)',
    );
  });

  it('reads the entities back after the sequences, and drops our zero-width spaces', () => {
    expect(
      readableMessageText(
        'R&amp;D &lt;beta&gt; <https://x.example?a=1&amp;b=2|Q&amp;A> *\u200B_\u200B*',
      ),
    ).toBe('R&D <beta> Q&A (https://x.example?a=1&b=2) *_*');
  });
});
