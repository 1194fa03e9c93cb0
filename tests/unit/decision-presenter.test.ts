/**
 * The decision log's closing line: how the decision was adopted (the vote, or none), who
 * recorded it, by name (escaped: it is typed) and not a mention (the log records what they
 * did; it is a new post, which a mention would ping them with), and when, in the company's
 * time zone.
 */
import { describe, expect, it } from 'vitest';
import type { DecisionLogEntry } from '../../src/services/decisions.js';
import { decisionLogMessage } from '../../src/slack/presenters/decision.js';

const entry: DecisionLogEntry = {
  id: '4',
  cycle: '2027-01',
  scenario: 'Central <b>',
  scenarioId: '7',
  runId: '3',
  rationale: 'Protects service.',
  decidedBy: 'U_PAT',
  // 20:30 UTC on the 12th is 05:30 on the 13th in Tokyo.
  decidedAt: new Date('2027-01-12T20:30:00Z'),
  viaVote: true,
  tradeOff: null,
  actions: [],
};

/** Pat's Slack name, typed: escaped where the log names Pat. */
const names = (id: string) => (id === 'U_PAT' ? 'Pat <Ops> & co' : id);
const PAT = 'Pat &lt;Ops&gt; &amp; co';

const footer = (
  vote: Parameters<typeof decisionLogMessage>[1]['vote'],
  timezone = 'Asia/Tokyo',
) => {
  const { blocks } = decisionLogMessage(entry, { vote, timezone }, names);
  const last = blocks.at(-1) as { type: string; elements: { text: string }[] };
  expect(last.type).toBe('context');
  return last.elements.map((e) => e.text).join(' ');
};

describe('decision log footer', () => {
  it('says the executives’ vote adopted it, with the score, when the vote chose it', () => {
    expect(footer({ forIt: 3, total: 3, topOther: 0, closedByDecision: false })).toBe(
      `Adopted by the executives' vote (3–0); recorded by ${PAT} on 2027-01-13 05:30 Asia/Tokyo · plan run 3, Central &lt;b&gt; scenario`,
    );
  });

  it('says there was no vote when there was none', () => {
    expect(footer(null, 'UTC')).toBe(
      `Recorded by ${PAT} on 2027-01-12 20:30 UTC without a vote · plan run 3, Central &lt;b&gt; scenario`,
    );
  });

  it('does not credit the vote with a scenario it did not choose', () => {
    // 1 for it, 2 for another scenario: the vote went the other way.
    expect(footer({ forIt: 1, total: 3, topOther: 2, closedByDecision: false })).toBe(
      `Recorded by ${PAT} on 2027-01-13 05:30 Asia/Tokyo against the executives' vote (1 of 3 votes for it) · plan run 3, Central &lt;b&gt; scenario`,
    );
    // 1 and 1: a tie chose nothing.
    expect(footer({ forIt: 1, total: 2, topOther: 1, closedByDecision: false })).toContain(
      'after a tied vote (1 of 2 votes for it)',
    );
    // Leading 2–1 but closed by the decision itself: the decision, not the vote, settled it.
    expect(footer({ forIt: 2, total: 3, topOther: 1, closedByDecision: true })).toContain(
      "closing the executives' vote early (2 of 3 votes for it)",
    );
    expect(footer({ forIt: 0, total: 0, topOther: 0, closedByDecision: false })).toContain(
      '; no executive voted',
    );
  });

  it('claims no vote on figures a newer run replaced, whatever its tally', () => {
    // Vote 2 was on run 1 and closed with 2 of 2 votes for the scenario of that run that bore
    // the same label; the decision adopted scenario 7 of run 3, which the vote never offered.
    const stale = { pollId: '2', votedRun: '1', adoptedRun: '3' };
    const expected = `Recorded by ${PAT} on 2027-01-13 05:30 Asia/Tokyo without a vote on plan run 3: vote 2 was on run 1, whose figures were out of date · plan run 3, Central &lt;b&gt; scenario`;
    expect(
      footer({ forIt: 0, total: 2, topOther: 2, closedByDecision: false, outOfDate: stale }),
    ).toBe(expected);
    expect(
      footer({ forIt: 0, total: 2, topOther: 2, closedByDecision: true, outOfDate: stale }),
    ).toBe(expected);
  });

  it('heads the log with the scenario, escaped, and leaves who adopted it to the footer', () => {
    const { blocks, text } = decisionLogMessage(entry, { vote: null, timezone: 'UTC' }, names);
    expect(`${text}${JSON.stringify(blocks)}`).not.toContain('<@U_PAT>');
    expect((blocks[0] as { text: { text: string } }).text.text).toBe(
      ':scroll: *Decision 4, 2027-01: Central &lt;b&gt; adopted*',
    );
    expect(text).toBe(
      `Decision 4 (2027-01): Central &lt;b&gt; adopted. Recorded by ${PAT} on 2027-01-12 20:30 UTC without a vote. Protects service.`,
    );
  });
});
