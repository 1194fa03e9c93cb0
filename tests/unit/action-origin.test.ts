/**
 * An action's DMs say where it comes from, read from its row: a decision's (`decision_id`),
 * one made from a Slack message (`source_ts`), else weekly S&OE's. Before, every action
 * without a decision was told as S&OE's, with S&OE's "find the cause" task. Expected texts
 * written out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../../db/schema.js';
import { actionDm, actionOrigin } from '../../src/slack/presenters/actions.js';

const base: ActionRow = {
  id: '12',
  decision_id: null,
  cycle_id: 1,
  description: 'Count the pallets & <!channel>',
  owner: 'U_OTTO',
  due_date: '2027-02-17',
  status: 'open',
  snoozed_until: null,
  created_by: 'U_PAT',
  created_at: new Date('2027-02-10T10:00:00Z'),
  done_at: null,
  done_by: null,
  request_key: 'view:x',
  source_channel: null,
  source_ts: null,
  source_thread_ts: null,
};
const fromMessage: ActionRow = { ...base, source_channel: 'C_SUPPLY', source_ts: '1.000002' };
const section = (dm: ReturnType<typeof actionDm>) =>
  (dm.blocks[0] as { text: { text: string } }).text.text;

describe("an action's origin", () => {
  it('is read from its row', () => {
    expect(actionOrigin({ ...base, decision_id: '3' })).toBe('decision');
    expect(actionOrigin(fromMessage)).toBe('message');
    expect(actionOrigin(base)).toBe('soe');
  });

  it("a message's assignment DM names who made it and links the message, with no S&OE task", () => {
    const dm = actionDm(fromMessage, 'assigned', null, 'https://acme.slack.com/archives/C1/p1');
    expect(dm.text).toBe(
      ':memo: You own a follow-up action made from a Slack message by <@U_PAT>: #12 Count the pallets &amp; &lt;!channel&gt; (due 2027-02-17)',
    );
    expect(section(dm)).toBe(
      ':memo: You own a follow-up action made from a Slack message by <@U_PAT>\n*#12* Count the pallets &amp; &lt;!channel&gt;\nDue *2027-02-17*\n<https://acme.slack.com/archives/C1/p1|The message>',
    );
  });

  it("a message's reminder says it was made from a message; an S&OE one keeps its task", () => {
    expect(section(actionDm(fromMessage, 'due', 0))).toBe(
      ':alarm_clock: Due today\n*#12* Count the pallets &amp; &lt;!channel&gt;\nDue *2027-02-17*\nMade from a Slack message.',
    );
    expect(section(actionDm(base, 'due', 0))).toBe(
      ':alarm_clock: Due today\n*#12* Count the pallets &amp; &lt;!channel&gt;\nDue *2027-02-17*\nFrom the weekly S&OE check. To do: find the cause and act within the adopted plan (expedite, re-sequence or re-allocate) without reopening it, then mark the action Done.',
    );
  });
});
