import { describe, expect, it } from 'vitest';
import type { CycleRow } from '../../db/schema.js';
import type { CycleStatus } from '../../src/services/status.js';
import { phaseAnnouncement } from '../../src/slack/presenters/cycle.js';
import { slackDate } from '../../src/slack/presenters/format.js';
import { cycleSection } from '../../src/slack/presenters/home.js';
import { statusText } from '../../src/slack/presenters/status.js';
import { validateBlocks } from '../../src/slack-standin/index.js';

// Tue 2027-01-12 17:00 in Tokyo = 08:00 UTC = 1799740800.
const DEADLINE = '2027-01-12T08:00:00.000Z';
const TOKYO_DATE = '<!date^1799740800^{date_short_pretty} {time}|2027-01-12 17:00 Asia/Tokyo>';

const cycle: CycleRow = {
  id: 1,
  month: '2027-01',
  phase: 'demand_review',
  deadlines: { data_gathering: '2027-01-07T08:00:00.000Z', demand_review: DEADLINE },
  phase_entered_at: new Date('2027-01-07T08:00:00Z'),
  opened_by: 'U_PLANNER',
  opened_at: new Date('2027-01-04T08:00:00Z'),
  closed_at: null,
  adopted_scenario_id: null,
  skipped_holidays: {},
};

describe('deadlines in Slack', () => {
  it("is Slack date formatting: the reader's own zone, the company's as the fallback", () => {
    expect(slackDate(new Date(DEADLINE), 'Asia/Tokyo')).toBe(TOKYO_DATE);
    expect(slackDate(new Date(DEADLINE), 'UTC')).toBe(
      '<!date^1799740800^{date_short_pretty} {time}|2027-01-12 08:00 UTC>',
    );
    expect(slackDate(new Date(DEADLINE), 'America/Los_Angeles')).toContain(
      '|2027-01-12 00:00 America/Los_Angeles>',
    );
  });

  it('/sop status shows every deadline that way', () => {
    const s: CycleStatus = {
      cycle: { id: 1, month: '2027-01', phase: 'demand_review', phase_entered_at: new Date() },
      deadlines: cycle.deadlines,
      skippedHolidays: {},
      pendingReps: [],
      repsLeft: [],
      familyCount: 3,
      uncoveredFamilies: [],
      openConstraints: [],
      latestRun: { id: '9', createdAt: new Date('2027-01-11T23:30:00Z'), trigger: 'manual' },
    };
    const text = statusText(s, 'Asia/Tokyo', { role: 'admin' });
    expect(text).toContain(`▸ Demand review: ${TOKYO_DATE}`);
    expect(text).toContain(
      'Data gathering: <!date^1799308800^{date_short_pretty} {time}|2027-01-07 17:00 Asia/Tokyo>',
    );
    expect(text).toContain('*Latest plan run*: #9, <!date^');
    expect(text).toContain('|2027-01-12 08:30 Asia/Tokyo> (manual)');
    expect(text).not.toContain(' UTC');
    // A known trigger in words: the recompute a phase change asked for.
    const phase = statusText({ ...s, latestRun: { ...s.latestRun!, trigger: 'cycle' } }, 'UTC', {
      role: 'admin',
    });
    expect(phase).toContain('|2027-01-11 23:30 UTC> (on a phase change)');
  });

  it('App Home shows every deadline that way too, the company zone named in the fallback', () => {
    // Tue 2027-01-12 08:00 in Tokyo is Mon 11 23:00 UTC: 1798761600 (1 Jan 00:00Z) + 10 days
    // + 23 h = 1799708400. It showed the bare day ("2027-01-12"), without its hour or zone.
    const early = { ...cycle, deadlines: { demand_review: '2027-01-11T23:00:00.000Z' } };
    expect(JSON.stringify(cycleSection(early, 'Asia/Tokyo'))).toContain(
      'Demand review: <!date^1799708400^{date_short_pretty} {time}|2027-01-12 08:00 Asia/Tokyo> ← now',
    );
    expect(JSON.stringify(cycleSection(early, 'UTC'))).toContain(
      'Demand review: <!date^1799708400^{date_short_pretty} {time}|2027-01-11 23:00 UTC> ← now',
    );
  });

  it('a phase announcement shows its deadline that way, in the text and the blocks', () => {
    const msg = phaseAnnouncement(cycle, 'Asia/Tokyo');
    expect(msg.text).toContain(`Demand review has started.`);
    // It says how to declare no change, where it said only to declare "no change".
    expect(JSON.stringify(msg.blocks[1])).toContain(
      'Sales: adjust the baseline for your families with a reason (`/forecast`), or declare no change for them: `/forecast no-change`, or *No change for my families* in App Home (the Home tab of sopbot).',
    );
    expect(msg.text).toMatch(new RegExp(`Deadline: ${TOKYO_DATE.replace(/[\^{}|]/g, '\\$&')}\\.$`));
    expect(JSON.stringify(msg.blocks[0])).toContain(`by *${TOKYO_DATE}*`);
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const closed = phaseAnnouncement({ ...cycle, phase: 'closed' }, 'Asia/Tokyo');
    expect(closed.text).not.toContain('Deadline');
  });
});
