/**
 * `/sop decide` when the cycle already has a decision asks for the reason, and shows the
 * command to type in a code span. A scenario label is typed text (up to 40 characters, any of
 * them): the hint used to repeat the label as it was typed inside a span built by hand, so a
 * backtick in it closed the span early, and a label with a space lost its quotes (the hint
 * showed a command that could not work). It now names the scenario by its name, which is what
 * the command takes, through codeSpan; and the earlier decision's title, which holds its label,
 * cannot open a span the hint then closes. The real bot over HTTP, the stand-in, Postgres.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const h = useHarness({
  label: 'decide-hint',
  members: { [EXEC]: 'exec' },
  clock: testClock('2027-03-15T10:00:00Z'),
});
let db: Db;
let standin: Standin;

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const [central, cautious] = SCENARIOS;
  await insertRun(db, {
    cycleId,
    runKey: 'decide-hint-1',
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    // One backtick in the label: an odd one, which leaves a span open.
    scenarios: [central!, { ...cautious!, name: 'cash-first', label: 'Cash `first plan' }],
  });
});

const answer = (text: string) => nextEphemeral(standin, EXEC, () => h.sop(EXEC, text));
const decisionCount = async () => (await db.selectFrom('decisions').select('id').execute()).length;

/** Every code span of a mrkdwn text, as Slack pairs backticks (left to right). */
const spans = (text: string) => [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1]);

describe('/sop decide, a second decision without its reason', () => {
  it('names the command to type, whole, in one code span', async () => {
    const first = await answer('decide "Cash `first plan" "keeps cash"');
    const id = /^Decision (\d+) recorded/.exec(first)?.[1];
    expect(id).toBeDefined();

    const refusal = await answer('decide central "service first"');
    // Written out by hand: the earlier title's backtick shows as ˋ (no span opens), and the
    // hint is the one span, naming the scenario as the command takes it.
    expect(refusal).toBe(
      `:warning: Cycle 2027-03 already has decision ${id} (Adopt the Cash ˋfirst plan scenario). A new decision supersedes it: say why it no longer holds. Add it after the rationale: \`/sop decide central "rationale" supersedes "reason"\`.`,
    );
    expect(spans(refusal)).toEqual(['/sop decide central "rationale" supersedes "reason"']);
    expect(await decisionCount()).toBe(1);
  });

  it('names a scenario typed by its label (spaces, a backtick) by its name', async () => {
    const refusal = await answer('decide "Cash `first plan" "cash again"');
    expect(spans(refusal)).toEqual(['/sop decide cash-first "rationale" supersedes "reason"']);
    // What the hint says works: typed as shown, with a reason, it records the decision.
    expect(await answer('decide cash-first "cash again" supersedes "demand fell"')).toMatch(
      /^Decision \d+ recorded: Adopt the Cash `first plan scenario\.$/,
    );
    expect(await decisionCount()).toBe(2);
  });
});
