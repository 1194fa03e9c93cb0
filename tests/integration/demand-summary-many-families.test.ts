/**
 * The demand channel's summary of a 120-family company, 28 of 30 reps on "No change": the two
 * families adjusted are listed first (FAM-100's adjustment no longer falls into a "76 more"
 * behind 38 no-change lines), the families with only "no change" declared are one count, and
 * a cut list names the command that lists the rest. Real Postgres (the summary's queries) and
 * the stand-in, through `refreshSummary`, the one path that posts and edits the summary.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { updateSettings } from '../../src/services/settings.js';
import { refreshSummary } from '../../src/services/summary.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
let client: WebClient;
const deps = () => ({ db: t.db, logger: createLogger('silent') });
/** Family ids by code, FAM-1 … FAM-120. */
const ids = new Map<string, number>();

beforeAll(async () => {
  client = new WebClient('xoxb-test-token', {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  const rows = await t.db
    .insertInto('families')
    .values(
      Array.from({ length: 120 }, (_, i) => ({
        code: `FAM-${i + 1}`,
        name: `Family ${i + 1}`,
        price: 10,
        unit_cost: 5,
        holding_cost: 1,
        backlog_cost: 2,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  for (const r of rows) ids.set(r.code, r.id);
  await updateSettings(t.db, { demand_channel: 'C_DEMAND' });
});

/** A cycle where `rep` adjusted `months` of `family` (one row a month). */
async function adjust(cycleId: number, rep: string, family: string, months: readonly string[]) {
  await t.db
    .insertInto('forecast_adjustments')
    .values(
      months.map((period) => ({
        cycle_id: cycleId,
        family_id: ids.get(family)!,
        period,
        author: rep,
        author_role: 'sales' as const,
        kind: 'delta_pct' as const,
        value: 10,
        reason_code: 'promotion',
        zone: 'liquid' as const,
        source: 'command' as const,
        request_key: `${cycleId}-${rep}-${family}-${period}`,
      })),
    )
    .execute();
}

/** `rep` declares no change for FAM-`from` … FAM-`to`, but `except`. */
async function declare(cycleId: number, rep: string, from: number, to: number, except = '') {
  const families = Array.from({ length: to - from + 1 }, (_, i) => `FAM-${from + i}`).filter(
    (f) => f !== except,
  );
  await t.db
    .insertInto('no_change_declarations')
    .values(
      families.map((f) => ({ cycle_id: cycleId, slack_user_id: rep, family_id: ids.get(f)! })),
    )
    .execute();
}

/** The summary's section text, as posted. */
function sectionOf(ts: string): string {
  const m = standin.store.messages.find((x) => x.channel === 'C_DEMAND' && x.ts === ts);
  const section = (m?.blocks as { type: string; text?: { text: string } }[] | undefined)?.find(
    (b) => b.type === 'section',
  );
  return section?.text?.text ?? '';
}

describe('the demand summary of 120 families, most declared unchanged', () => {
  it('lists the two adjusted families, FAM-100 first, and counts the 118 others in one line', async () => {
    const cycle = { id: 0, month: '2027-03' };
    cycle.id = await insertCycle(t.db, { month: cycle.month, phase: 'demand_review' });
    // 28 reps, four or five families each, declare no change for FAM-1 … FAM-120 but FAM-100;
    // U_ANN adjusts FAM-100 in three months, U_BO FAM-2 in one (FAM-2 declared too).
    for (let r = 0; r < 28; r++) {
      const from = 1 + Math.floor((r * 120) / 28);
      const to = Math.floor(((r + 1) * 120) / 28);
      await declare(cycle.id, `U_REP${r}`, from, to, 'FAM-100');
    }
    await adjust(cycle.id, 'U_ANN', 'FAM-100', ['2027-05', '2027-06', '2027-07']);
    await adjust(cycle.id, 'U_BO', 'FAM-2', ['2027-05']);
    const posted = await refreshSummary(deps(), client, 'forecast', cycle, []);
    expect(sectionOf(posted!.ts)).toBe(
      [
        '4 adjustment months so far.',
        '• *FAM-100*: 3 adjustment months by 1 person',
        '• *FAM-2*: 1 adjustment month by 1 person; no change declared by 1 rep',
        'No change declared for 118 other families.',
      ].join('\n'),
    );
    const message = standin.store.messages.find((m) => m.ts === posted!.ts);
    expect(message?.text).toBe(
      'Demand review 2027-03: 4 adjustment months so far, for 2 families; no change declared for 118 other families.',
    );
  });

  it('cut at 40 families, names the first left out in the command that lists its changes', async () => {
    const cycle = { id: 0, month: '2027-04' };
    cycle.id = await insertCycle(t.db, { month: cycle.month, phase: 'demand_review' });
    // FAM-100 two months; FAM-1 … FAM-45 one each; FAM-46 … FAM-120 but FAM-100 declared: 74.
    await adjust(cycle.id, 'U_ANN', 'FAM-100', ['2027-06', '2027-07']);
    for (let i = 1; i <= 45; i++) await adjust(cycle.id, 'U_BO', `FAM-${i}`, ['2027-06']);
    await declare(cycle.id, 'U_REP0', 46, 120, 'FAM-100');
    const posted = await refreshSummary(deps(), client, 'forecast', cycle, []);
    const lines = sectionOf(posted!.ts).split('\n');
    expect(lines).toHaveLength(43);
    expect(lines.slice(0, 3)).toEqual([
      '47 adjustment months so far.',
      '• *FAM-100*: 2 adjustment months by 1 person',
      '• *FAM-1*: 1 adjustment month by 1 person',
    ]);
    expect(lines.slice(-3)).toEqual([
      '• *FAM-39*: 1 adjustment month by 1 person',
      "_…and 6 more adjusted families: `/sop explain who changed FAM-40` lists a family's adjustments._",
      'No change declared for 74 other families.',
    ]);
  });
});
