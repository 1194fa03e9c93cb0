/**
 * What the admins are told to do about an action owner Slack refuses (one who left): give each
 * action to someone else with `/sop actions reassign`. Expected sentences written by hand.
 */
import { describe, expect, it } from 'vitest';
import { describePost, personFix } from '../../src/slack/presenters/undelivered.js';

describe('personFix for an owner who left', () => {
  it('one action: the command to give it, with its number', () => {
    expect(
      personFix('account_inactive', 'U_OTTO', {
        role: null,
        families: [],
        openActions: [{ id: '7', description: 'Call <!here>', due_date: '2027-03-20' }],
      }),
    ).toBe(
      'if <@U_OTTO> has left, give their part to someone else. They own an open follow-up action nobody will be reminded of: #7 Call &lt;!here&gt; (due 2027-03-20). Give it to someone else with `/sop actions reassign #7 @someone`.',
    );
  });

  it('several actions: the command for each, and where they are listed', () => {
    expect(
      personFix('account_inactive', 'U_OTTO', {
        role: 'ops',
        families: [],
        openActions: [
          { id: '7', description: 'Book overtime', due_date: '2027-03-20' },
          { id: '9', description: 'Count stock', due_date: '2027-03-24' },
        ],
      }),
    ).toBe(
      'if <@U_OTTO> has left, give their part to someone else. They are Operations: `/sop role @someone ops`, and take theirs away with `/sop role <@U_OTTO> none`. They own 2 open follow-up actions nobody will be reminded of: #7 Book overtime (due 2027-03-20); #9 Count stock (due 2027-03-24). Give each to someone else with `/sop actions reassign #id @someone` (`/sop actions <@U_OTTO>` lists them).',
    );
  });

  it('a sales rep: their families to someone else, and cleared from them so they are not asked again', () => {
    // A rep who left keeps covering FAM-1 and FAM-2 after another rep is given them (a family
    // may have several reps): each demand review would nudge them again, Slack would refuse it
    // again and the admins would be told again. `/sop role @rep none` takes their role and families.
    expect(
      personFix('account_inactive', 'U_OTTO', {
        role: 'sales',
        families: ['FAM-1', 'FAM-2'],
        openActions: [],
      }),
    ).toBe(
      'if <@U_OTTO> has left, give their part to someone else. They are Sales for FAM-1, FAM-2: `/sop role @someone sales`, then `/sop families @someone FAM-1 FAM-2`, and take theirs away with `/sop role <@U_OTTO> none` (their families go with it), so they are not asked for forecast input again.',
    );
  });

  it('the chair of a vote waiting for its decision: who records it in their place (policy by hand: the decision executives and admins)', () => {
    // The chair is DMed the button that records the decision once the vote closes: refused,
    // nobody was told that another executive or an admin may record it.
    expect(
      personFix('account_inactive', 'U_PAT', {
        role: 'planner',
        families: [],
        openActions: [],
        chairs: { id: '4', status: 'closed' },
      }),
    ).toBe(
      'if <@U_PAT> has left, give their part to someone else. They are Planner: `/sop role @someone planner`, and take theirs away with `/sop role <@U_PAT> none`. They chair vote 4, closed and waiting for its decision: Executive or Admin members record it (*Record the decision* in their App Home, or `/sop decide`).',
    );
  });

  it("a planner who kept a rep's families: the role only, since only a rep is given families", () => {
    // Rita was a rep for FAM-1 and FAM-2, then made planner (her list is kept for her). The fix
    // said "`/sop role @someone planner`, then `/sop families @someone FAM-1 FAM-2`", which
    // `/sop families` refuses for a planner.
    expect(
      personFix('account_inactive', 'U_RITA', {
        role: 'planner',
        families: ['FAM-1', 'FAM-2'],
        openActions: [],
      }),
    ).toBe(
      'if <@U_RITA> has left, give their part to someone else. They are Planner: `/sop role @someone planner`, and take theirs away with `/sop role <@U_RITA> none`.',
    );
  });
});

describe('describePost', () => {
  it("names an admins' notice that was itself refused by what it was about, not by its key", () => {
    // `/sop status` listed it as "a message (`undelivered:C_EXEC:not_in_channel:2027-03-02:U_ADA`)".
    expect(describePost('undelivered:C_EXEC:not_in_channel:2027-03-02:U_ADA', new Map())).toBe(
      'the notice of 2027-03-02 to the admins that Slack refused posts to <#C_EXEC>',
    );
    expect(describePost('undelivered:U_OTTO:account_inactive:2027-03-02:U_ADA', new Map())).toBe(
      'the notice of 2027-03-02 to the admins that Slack refused posts to <@U_OTTO>',
    );
  });

  it("names a break owner's DM of a decision as that DM, not as the decision's log entry", () => {
    // It read "the decision log entry of decision #7", which the channel had taken.
    expect(describePost('decision:7:breaks:U_OTTO', new Map())).toBe(
      'the DM telling the owner what decision #7 decided about their breaks of the frozen plan',
    );
    expect(describePost('decision:7:log', new Map())).toBe('the decision log entry of decision #7');
  });

  it("names an admins' notice that someone left by whom it was about", () => {
    expect(describePost('user-left:U_RITA:2027-03-18:U_ADA', new Map())).toBe(
      'the notice to the admins that <@U_RITA> left the workspace',
    );
  });
});
