/**
 * What a refused DM's error says: Slack's refusal as Slack's, and a DM sopbot withheld itself
 * because users.info says the account is deactivated (DEACTIVATED) as that, not as "Slack
 * refused … for good", which Slack never said. Expected texts written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { DEACTIVATED, RefusedPostError, UndeliveredError } from '../../src/slack/post-ledger.js';

describe('a refused DM, in words', () => {
  it("says a DM withheld for a deactivated account was not sent, and Slack's refusal as Slack's", () => {
    expect(
      new RefusedPostError({
        to: 'U_DORA',
        error: DEACTIVATED,
        key: 'reminder:7:overdue:overdue-1',
      }).message,
    ).toBe(
      "'reminder:7:overdue:overdue-1' not sent: users.info says <@U_DORA>'s account is deactivated",
    );
    expect(
      new RefusedPostError({
        to: 'U_DORA',
        error: 'user_disabled',
        key: 'nudge:3:supply_review:U_DORA',
      }).message,
    ).toBe("Slack refused 'nudge:3:supply_review:U_DORA' to <@U_DORA> for good: user_disabled");
  });

  it("says Slack refused a job's messages only when Slack refused each", () => {
    const gone = { to: 'U_GONE', error: DEACTIVATED, key: 'nudge:3:demand_review:U_GONE' };
    expect(new UndeliveredError([gone]).message).toBe(
      'One message not sent for good (the others were): <@U_GONE> (users.info says deactivated).',
    );
    const chair = { to: 'U_CHAIR', error: 'account_inactive', key: 'nudge:3:executive:U_CHAIR' };
    expect(new UndeliveredError([chair, gone]).message).toBe(
      '2 messages not sent for good (the others were): <@U_CHAIR> (account_inactive), <@U_GONE> (users.info says deactivated).',
    );
    expect(new UndeliveredError([chair]).message).toBe(
      'Slack refused one message for good, so it was not sent (the others were): <@U_CHAIR> (account_inactive).',
    );
  });
});
