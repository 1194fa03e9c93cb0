/** The small grammar of `/sop explain`: each understood form, and the answer to the others. */
import { describe, expect, it } from 'vitest';
import {
  EXPLAIN_FORMS,
  parseExplainQuestion,
  resolveMonth,
} from '../../src/core/explain/grammar.js';
import { explainMessage } from '../../src/slack/presenters/explain.js';

const ask = (text: string, cycle = '2027-01') => parseExplainQuestion(text, cycle);

describe('explain grammar', () => {
  it('reads a code and a month, or a range', () => {
    expect(ask('FAM-3 2027-05')).toEqual({
      ok: true,
      query: { intent: 'explain', code: 'FAM-3', from: '2027-05', to: '2027-05', direction: null },
    });
    expect(ask('LINE-1 2027-08..2027-10')).toMatchObject({
      ok: true,
      query: { code: 'LINE-1', from: '2027-08', to: '2027-10' },
    });
    expect(ask('fam-3 may to july')).toMatchObject({
      ok: true,
      query: { code: 'fam-3', from: '2027-05', to: '2027-07' },
    });
  });

  it('maps the plain questions of the issue', () => {
    expect(ask('why is FAM-3 up in May')).toEqual({
      ok: true,
      query: { intent: 'explain', code: 'FAM-3', from: '2027-05', to: '2027-05', direction: 'up' },
    });
    expect(ask('Why is FAM-3 so low in march?')).toMatchObject({
      ok: true,
      query: { code: 'FAM-3', from: '2027-03', direction: 'down' },
    });
    expect(ask('what limits LINE-1 in August')).toEqual({
      ok: true,
      query: { intent: 'limits', code: 'LINE-1', from: '2027-08', to: '2027-08', direction: null },
    });
    expect(ask('who changed FAM-2')).toEqual({
      ok: true,
      query: { intent: 'who', code: 'FAM-2', from: null, to: null, direction: null },
    });
    expect(ask('who changed FAM-2 in June')).toMatchObject({
      ok: true,
      query: { intent: 'who', from: '2027-06', to: '2027-06' },
    });
  });

  it('reads a month name as the first such month on or after the cycle month', () => {
    // A cycle in 2027-09: "May" is next year's May, "September" this one.
    expect(resolveMonth('May', '2027-09')).toBe('2028-05');
    expect(resolveMonth('september', '2027-09')).toBe('2027-09');
    expect(resolveMonth('Aug 2026', '2027-09')).toBe('2026-08');
    expect(resolveMonth('sept', '2027-01')).toBe('2027-09');
    expect(resolveMonth('ma', '2027-01')).toBeNull();
    expect(resolveMonth('Mayday', '2027-01')).toBeNull();
  });

  it('lists the understood forms when a question fits none', () => {
    for (const text of [
      '',
      'how are we doing',
      'why is FAM-3 up',
      'FAM-3 someday',
      'what limits LINE-1',
    ]) {
      const r = ask(text);
      expect(r.ok).toBe(false);
      if (!r.ok) for (const f of EXPLAIN_FORMS) expect(r.message).toContain(f);
    }
  });

  it('refuses a range that runs backwards or is too long, saying why', () => {
    const back = ask('FAM-3 2027-05..2027-02');
    expect(back).toEqual({
      ok: false,
      message: expect.stringContaining('ends (2027-02) before it starts'),
    });
    const long = ask('FAM-3 2027-01..2029-12');
    expect(long).toEqual({ ok: false, message: expect.stringContaining('at most 24 months') });
  });
});

describe('explain grammar echoes', () => {
  it('echoes what was typed in a code span, escaped where it is shown, so it never pings or links', () => {
    const r = parseExplainQuestion('FAM-3 <!channel>`*x*', '2027-01');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('`<!channel>ˋ*x*` is not a month');
      const shown = explainMessage({ kind: 'not_understood', message: r.message }).text;
      expect(shown).toContain('`&lt;!channel&gt;ˋ*x*` is not a month');
      expect(shown).not.toContain('<!channel>');
    }
    const plainWords = parseExplainQuestion('how are we doing', '2027-01');
    expect(plainWords).toEqual({
      ok: false,
      message: expect.stringContaining('not one I understand'),
    });
  });
});
