/**
 * `/sop status` in the executive phase says what the meeting still owes and who must act:
 * before, it gave the deadlines, the reps who did not submit a forecast and the latest run,
 * and nothing of the vote or the decision the phase exists for. Policy by hand: `/sop vote`
 * planners, executives and admins; `/sop decide` executives and admins.
 */
import { describe, expect, it } from 'vitest';
import type { CycleStatus } from '../../src/services/status.js';
import { statusText } from '../../src/slack/presenters/status.js';

const base: CycleStatus = {
  cycle: { id: 1, month: '2027-01', phase: 'executive', phase_entered_at: new Date(0) },
  deadlines: {},
  skippedHolidays: {},
  pendingReps: [],
  repsLeft: [],
  familyCount: 1,
  uncoveredFamilies: [],
  openConstraints: [],
  latestRun: null,
};
/** A vote whose executives and chair are all still in the workspace, and no quorum. */
const NOBODY_LEFT = { leftWithoutVote: [], counted: 0, quorum: null, chairLeft: null } as const;
const SALES = { role: 'sales' } as const;
const PLANNER = { role: 'planner' } as const;

describe('/sop status in the executive phase: the decision the meeting owes', () => {
  it('no vote yet: says how to start one, or who records the decision', () => {
    const s = { ...base, meeting: { decision: null, vote: null } };
    expect(statusText(s, 'UTC', PLANNER)).toContain(
      '*Decision*: not recorded yet, and no vote has been started: start it with `/sop vote`, or Executive or Admin members record the decision with `/sop decide`.',
    );
    expect(statusText(s, 'UTC', SALES)).toContain(
      'no vote has been started: Planner, Executive or Admin members start it with `/sop vote`',
    );
  });

  it('a vote open: until when, the executives yet to vote, and who closes it', () => {
    const s = {
      ...base,
      meeting: {
        decision: null,
        vote: {
          id: '4',
          status: 'open' as const,
          closesAt: new Date('2027-01-27T17:00:00Z'),
          chair: 'U_PAT',
          yetToVote: ['U_CFO', 'U_COO'],
          ...NOBODY_LEFT,
        },
      },
    };
    expect(statusText(s, 'UTC', SALES)).toContain(
      '*Decision*: not recorded yet. Vote 4 is open until <!date^1801069200^{date_short_pretty} {time}|2027-01-27 17:00 UTC>; executives yet to vote: <@U_CFO>, <@U_COO>. Its chair <@U_PAT> closes it and records the decision.',
    );
  });

  it('the vote closed without a decision: the chair records it', () => {
    const s = {
      ...base,
      meeting: {
        decision: null,
        vote: {
          id: '4',
          status: 'closed' as const,
          closesAt: null,
          chair: 'U_PAT',
          yetToVote: [],
          ...NOBODY_LEFT,
        },
      },
    };
    expect(statusText(s, 'UTC', SALES)).toContain(
      '*Decision*: not recorded yet. Vote 4 is closed: its chair <@U_PAT> records the decision (*Record the decision* on the vote), or Executive or Admin members with `/sop decide`.',
    );
  });

  it('two executives who left for different reasons, every one still here voted, no quorum set', () => {
    const s = {
      ...base,
      meeting: {
        decision: null,
        vote: {
          id: '4',
          status: 'open' as const,
          closesAt: null,
          chair: 'U_PAT',
          yetToVote: [],
          leftWithoutVote: [
            { userId: 'U_CFO', reason: 'account_inactive' },
            { userId: 'U_COO', reason: 'user_not_found' },
          ],
          counted: 2,
          quorum: null,
          chairLeft: null,
        },
      },
    };
    expect(statusText(s, 'UTC', SALES)).toContain(
      '*Decision*: not recorded yet. Vote 4 is open; every executive still here has voted; <@U_CFO> and <@U_COO> left (Slack refuses DMs to them), so their votes will not come. Its chair <@U_PAT> closes it and records the decision.',
    );
  });

  it('decided: the decision, its scenario escaped, and who recorded it', () => {
    const s = {
      ...base,
      meeting: { decision: { id: '9', scenario: 'Lean <b>', by: 'U_CEO' }, vote: null },
    };
    expect(statusText(s, 'UTC', SALES)).toContain(
      '*Decision*: decision 9, *Lean &lt;b&gt;* adopted, recorded by <@U_CEO>.',
    );
  });

  it('says nothing of a decision outside the executive phase', () => {
    expect(
      statusText({ ...base, cycle: { ...base.cycle, phase: 'pre_sop' } }, 'UTC', SALES),
    ).not.toContain('*Decision*');
  });
});
