/**
 * A plan run's charts name people and resources as they are. Before, a name `users.info` did
 * not give at once (a 503, a connection dropped on the way) was drawn as the id for good: the
 * plans thread said "asked for by U_CARA" and the family chart labelled Bob's adjustments
 * "U_BOB", in a picture never drawn again. Now the chart job is retried before anything is
 * posted, and names them. And a resource's code, which the import takes with `.` and `_`
 * ("CREW-1._x_"), went into the gap chart's file comment as mrkdwn, its `_x_` turned italic;
 * now it shows as typed.
 *
 * The seeded company (3 families, 3 resources) through the real CSV import, each resource's
 * code given the tail `._x_`; Bob (U_BOB) adjusts FAM-2; Cara (U_CARA) asks for the plan with
 * `/sop plan` (a recompute of reason `command`). The real worker in this process, real
 * Postgres and Redis, Slack's stand-in (which answers users.info with the handle: "bob").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/seed/company.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { addAdjustments, CHANNELS, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
let cycleId = 0;
let month = '';
/** The zero-width space `escInMarks` puts beside a mark of typed text (MARK_BREAK). */
const B = '\u200B';

beforeAll(async () => {
  const company = generateCompany({ families: 3, months: 36, resources: 3, seed: 11 });
  const codes = company.resources.map((r) => r.code);
  // Every code renamed everywhere the company names it, through its JSON.
  let json = JSON.stringify(company);
  for (const code of codes) json = json.replaceAll(`"${code}"`, `"${code}._x_"`);
  ({ cycleId, month } = await setUpCycle(t.db, JSON.parse(json), { horizon: 6 }));
  await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: 25 }]);
}, 60_000);

const worker = useInProcessWorker({ t, standin }, 'chart-names');

describe("a plan run's charts", () => {
  it('wait for names Slack gives later, then name the person; a code shows as typed', async () => {
    // Bob's lookup answered 503, Cara's connection dropped: neither name is stored.
    standin.failNext('users.info', { status: 503, channel: 'U_BOB' });
    standin.failNext('users.info', { drop: true, channel: 'U_CARA' });
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'command',
      requestedBy: 'U_CARA',
      requestKey: 'chart-names-1',
    });
    const posts = worker.queues.queue('posts');
    const job = await standin.waitFor(async () => {
      const done = (await posts.getJobs(['completed'])).find((j) => j.name === 'post-charts');
      const failed = (await posts.getJobs(['failed'])).find((j) => j.name === 'post-charts');
      if (failed) throw new Error(`post-charts failed: ${failed.failedReason}`);
      return done;
    }, 120_000);
    // The first attempt waited for the names; the second posted, once.
    expect(job.attemptsMade).toBe(2);
    const asked = standin.callsTo('users.info').map((c) => String(c.args.user));
    expect(asked.filter((u) => u === 'U_BOB')).toHaveLength(2);
    expect(asked.filter((u) => u === 'U_CARA')).toHaveLength(2);
    // Stored for the charts drawn with them, as Slack gave them.
    const stored = await t.db
      .selectFrom('slack_user_names')
      .select(['slack_user_id', 'display_name'])
      .where('slack_user_id', 'in', ['U_BOB', 'U_CARA'])
      .orderBy('slack_user_id')
      .execute();
    expect(stored.map((r) => [r.slack_user_id, r.display_name])).toEqual([
      ['U_BOB', 'bob'],
      ['U_CARA', 'cara'],
    ]);
    // The plans thread's message names who asked, never by id.
    const exec = standin.messagesIn(CHANNELS.exec);
    expect(exec).toHaveLength(1);
    expect(exec[0]!.text).toContain(', asked for by cara.');
    expect(exec[0]!.text).not.toContain('U_CARA');
    // Each chart once: the supply channel's gap chart, its comment naming resources as typed.
    const gap = standin.files.filter((f) => f.name.endsWith('-gap.png'));
    expect(gap).toHaveLength(1);
    const comment = gap[0]!.initial_comment ?? '';
    expect(comment).toMatch(/^\*In the plan, /m);
    // Some resource is named (an overload or the peak), its tail broken around each mark.
    expect(comment).toMatch(
      new RegExp(`(LINE-\\d|SUP-1|CREW-1)\\.${B}_${B}x${B}_${B} (in|at) `, 'u'),
    );
    expect(comment).not.toContain('._x_');
    expect(standin.files.filter((f) => f.name.includes('fam-2'))).toHaveLength(1);
  }, 180_000);
});
