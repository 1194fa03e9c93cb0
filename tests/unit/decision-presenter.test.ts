/**
 * The decision log's closing line: how the decision was adopted (the vote, or none), who
 * recorded it, with a live mention, and when, in the company's time zone.
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

const footer = (
  vote: Parameters<typeof decisionLogMessage>[1]['vote'],
  timezone = 'Asia/Tokyo',
) => {
  const { blocks } = decisionLogMessage(entry, { vote, timezone });
  const last = blocks.at(-1) as { type: string; elements: { text: string }[] };
  expect(last.type).toBe('context');
  return last.elements.map((e) => e.text).join(' ');
};

describe('decision log footer', () => {
  it('says the executives’ vote adopted it, with the score, when the vote chose it', () => {
    expect(footer({ for: 3, against: 0, chose: true })).toBe(
      "Adopted by the executives' vote (3–0); recorded by <@U_PAT> on 2027-01-13 05:30 Asia/Tokyo · plan run 3, scenario 7",
    );
  });

  it('says there was no vote when there was none', () => {
    expect(footer(null, 'UTC')).toBe(
      'Recorded by <@U_PAT> on 2027-01-12 20:30 UTC, no vote · plan run 3, scenario 7',
    );
  });

  it('does not credit the vote with a scenario it did not choose', () => {
    expect(footer({ for: 1, against: 2, chose: false })).toBe(
      "Recorded by <@U_PAT> on 2027-01-13 05:30 Asia/Tokyo; the executives' vote stood 1–2 for it · plan run 3, scenario 7",
    );
    expect(footer({ for: 0, against: 0, chose: false })).toContain(
      'no executive had voted in the vote it settles',
    );
  });

  it('heads the log with the scenario, escaped, and leaves who adopted it to the footer', () => {
    const { blocks, text } = decisionLogMessage(entry, { vote: null, timezone: 'UTC' });
    expect((blocks[0] as { text: { text: string } }).text.text).toBe(
      ':scroll: *Decision 4, 2027-01: Central &lt;b&gt; adopted*',
    );
    expect(text).toBe(
      'Decision 4 (2027-01): Central &lt;b&gt; adopted. Recorded by <@U_PAT> on 2027-01-12 20:30 UTC, no vote. Protects service.',
    );
  });
});
