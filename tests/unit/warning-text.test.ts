/**
 * A refusal is escaped whole (it may quote what someone typed), then the user mentions our
 * own sentences put there are made live again. The stand-in and the demo name people U_PAT,
 * U_CEO: with an underscore, they were left as the text "&lt;@U_PAT&gt;" in every refusal
 * that names a chair or an owner, while Slack's own ids (U0123ABC) were live.
 */
import { describe, expect, it } from 'vitest';
import { codeSpan } from '../../src/core/text.js';
import { SopError } from '../../src/errors.js';
import { warningText } from '../../src/slack/reply.js';

const refusal = (message: string) => warningText(new SopError('conflict', message));

describe('warningText', () => {
  it('keeps our mentions live, with or without an underscore in the id', () => {
    expect(refusal('Vote 2 is closed; the chair <@U_PAT> records the decision.')).toBe(
      ':warning: Vote 2 is closed; the chair <@U_PAT> records the decision.',
    );
    expect(refusal('Owner <@U0123ABC> marks it Done.')).toBe(
      ':warning: Owner <@U0123ABC> marks it Done.',
    );
  });

  it('leaves everything else a sentence can quote as text', () => {
    expect(refusal("'<!channel> & <#C1|x>' is not a role; <@U_PAT|label> too.")).toBe(
      ":warning: '&lt;!channel&gt; &amp; &lt;#C1|x&gt;' is not a role; &lt;@U_PAT|label&gt; too.",
    );
  });
});

describe('typed text quoted in a code span', () => {
  const typed = 'x` *bold* <!channel> <@U123>';

  it('cannot close the span: its backticks show as ˋ, so the rest stays code and text', () => {
    expect(refusal(`${codeSpan(typed)} is not a role; use one of sales, ops.`)).toBe(
      ':warning: `xˋ *bold* &lt;!channel&gt; &lt;@U123&gt;` is not a role; use one of sales, ops.',
    );
  });

  it('keeps a typed mention as text, and ours live, in the span and out of it', () => {
    expect(refusal(`<@U_PAT> has no role yet; try \`/sop role <@U_PAT> sales\`.`)).toBe(
      ':warning: <@U_PAT> has no role yet; try `/sop role <@U_PAT> sales`.',
    );
    expect(refusal(`${codeSpan('<@U_PAT> <@U123>')} is not a role; ask <@U_PAT>.`)).toBe(
      ':warning: `<@U_PAT> &lt;@U123&gt;` is not a role; ask <@U_PAT>.',
    );
  });

  it('holds one line, and at most 80 characters', () => {
    expect(codeSpan('a\n b')).toBe('`a b`');
    expect(codeSpan('y'.repeat(100))).toBe(`\`${'y'.repeat(79)}…\``);
  });
});
