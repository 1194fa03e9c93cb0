/**
 * Slash-command text both ways: the stand-in escapes what a person typed as Slack does for a
 * command with `should_escape: true`, keeping the control sequences the client made; the bot
 * reads Slack's three entities back once. Expected texts written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { unescapeSlackText } from '../../src/slack/command-text.js';
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
