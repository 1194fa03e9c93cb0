/**
 * Done and Snooze are saved before their message is drawn again. When Slack will not let the
 * bot redraw it (an error of Slack's own, a rate limit), the click still counts: the person is
 * told what was saved, not asked to try again, and the error is logged once. The real bot over
 * HTTP, the Slack stand-in refusing the redraw, real Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'action-redraw-refused',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
const ids: string[] = [];

beforeAll(async () => {
  ({ db, standin } = h);
  ids.push(
    ...(await decideMarchActions(h, clock, 'redraw-refused', EXEC, [
      { owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' },
      { owner: OPS, dueDate: '2027-03-26', description: 'Order resin' },
    ])),
  );
}, 60_000);

const dmAbout = (what: string) =>
  standin.waitFor(() => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes(what)), 20_000);
const told = (start: string) =>
  standin.waitFor(() => standin.ephemeralsFor(OPS).find((e) => e.text.startsWith(start)), 20_000);

describe('Slack refuses to redraw the clicked DM or App Home', () => {
  it('Done: the action is done, the owner is told so, not to try again, and the DM loses its buttons once Slack lets it', async () => {
    const dm = await dmAbout('Book weekend overtime');
    // The click's own edit of the DM is refused; the worker's edit after it goes through.
    standin.failNext('chat.update', { error: 'internal_error' });
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS });
    const row = await pollUntil(
      () =>
        db
          .selectFrom('actions')
          .select(['status'])
          .where('id', '=', ids[0]!)
          .executeTakeFirstOrThrow(),
      (r) => r.status === 'done',
    );
    expect(row.status).toBe('done');
    const answer = await told(`Action #${ids[0]}`);
    expect(answer.text).toBe(
      // Due 2027-03-25, done on 2027-03-15.
      `Action #${ids[0]} is done 10 days early. Slack did not let me redraw this message just now; it loses its buttons as soon as Slack lets me.`,
    );
    // The action-closed job leaves the clicked DM to the click; the click's follow-up job
    // draws it: its buttons give way to the line saying it is done, and by whom.
    const line = `:white_check_mark: done 10 days early (marked by <@${OPS}>). Reminders stopped.`;
    const drawn = await standin.waitFor(() => {
      const m = standin.messagesIn(`D_${OPS}`).find((x) => x.ts === dm.ts);
      return m && !m.blocks?.some((b) => (b as { type?: string }).type === 'actions') ? m : null;
    }, 20_000);
    expect(drawn.blocks?.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: line }],
    });
    expect(
      standin
        .ephemeralsFor(OPS)
        .map((e) => e.text)
        .join('\n'),
    ).not.toMatch(/Something went wrong/);
  });

  it('Snooze on App Home: snoozed, and the owner is told until when and that Home may lag', async () => {
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    const home = await standin.waitFor(() => standin.homeView(OPS), 20_000);
    standin.failNext('views.publish', { error: 'internal_error' });
    await h.driver.selectOption(home.id, 'action_snooze_1w', null, {
      user: OPS,
      blockId: `action_${ids[1]}`,
    });
    // A Home click has no channel: the answer is a DM.
    const answer = await standin.waitFor(
      () => standin.messagesIn(`D_${OPS}`).find((m) => m.text.startsWith(`Snoozed #${ids[1]}`)),
      20_000,
    );
    expect(answer.text).toBe(
      // A week after the click, 2027-03-15T10:00Z; 1805709600 is 2027-03-22T10:00Z.
      `Snoozed #${ids[1]} until <!date^1805709600^{date_short_pretty} {time}|2027-03-22 10:00 UTC>. Slack did not let me redraw App Home, so it may still show the buttons.`,
    );
    // Told once: not "Snoozed" and then again with the redraw sentence.
    expect(
      standin.messagesIn(`D_${OPS}`).filter((m) => m.text.startsWith(`Snoozed #${ids[1]}`)),
    ).toHaveLength(1);
    const row = await db
      .selectFrom('actions')
      .select(['snoozed_until'])
      .where('id', '=', ids[1]!)
      .executeTakeFirstOrThrow();
    expect(row.snoozed_until?.toISOString()).toBe('2027-03-22T10:00:00.000Z');
  });

  it('Snooze in a DM about one action: nothing to redraw, so a refused confirmation asks no retry', async () => {
    const dm = await dmAbout('Order resin');
    standin.failNext('chat.postEphemeral', { error: 'internal_error' });
    const before = standin.ephemeralsFor(OPS).length;
    const beforeDm = standin.messagesIn(`D_${OPS}`).length;
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1d', { user: OPS });
    await pollUntil(
      () =>
        db
          .selectFrom('actions')
          .select(['snoozed_until'])
          .where('id', '=', ids[1]!)
          .executeTakeFirstOrThrow(),
      (r) => r.snoozed_until?.toISOString() === '2027-03-16T10:00:00.000Z',
    );
    // The refused confirmation is logged; nothing untrue ("could not redraw"), no apology.
    await new Promise((r) => setTimeout(r, 500));
    const texts = standin
      .ephemeralsFor(OPS)
      .slice(before)
      .map((e) => e.text)
      .concat(
        standin
          .messagesIn(`D_${OPS}`)
          .slice(beforeDm)
          .map((m) => m.text),
      );
    expect(texts.join('\n')).not.toMatch(/redraw|Something went wrong/);
  });

  it('Done refused for good (the DM deleted): done, told the DM may keep its buttons, and no redraw asked', async () => {
    const dm = await dmAbout('Order resin');
    standin.failNext('chat.update', { error: 'message_not_found' });
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS });
    const answer = await told(`Action #${ids[1]} is done`);
    // Due 2027-03-26, done on 2027-03-15. Before: "it loses its buttons as soon as Slack lets
    // me", and a redraw job asked for that Slack would refuse the same.
    expect(answer.text).toBe(
      `Action #${ids[1]} is done 11 days early. Slack did not let me redraw this message, so it may still show the buttons.`,
    );
    const redraws = await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'action-closed')
      .execute();
    // The only redraw asked for is the first test's, whose refusal was for now.
    expect(
      redraws.filter((r) => r.payload.redraw !== undefined).map((r) => r.payload.actionId),
    ).toEqual([ids[0]]);
  });
});
