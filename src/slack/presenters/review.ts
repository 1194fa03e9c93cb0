/**
 * The performance review message that opens a cycle: what the last adopted plan did over the
 * months since the previous cycle (KPIs in total, the families furthest from plan), what
 * changed, and what the last decision became. The lines are the pack's (src/services/pack-loop.ts).
 */
import type { types } from '@slack/bolt';
import { formatPercent } from '../../core/number-format.js';
import { periodSpan } from '../../core/period.js';
import type { KpiSet } from '../../core/review.js';
import {
  bullet,
  changedLines,
  familyLines,
  followLines,
  loopPeople,
  mention,
  namesUsed,
  type PackLoop,
  type People,
  reviewLines,
  type Who,
} from '../../services/pack-loop.js';
import { clip, escKeepingMentions, mrkdwn, nameInLine, plain } from './format.js';

/**
 * The review's key figures for its notification and screen-reader text, as question 2 gives
 * them: plan adherence, and the fill rate and OTIF of the order lines due ("…: plan adherence
 * 86.4%; fill rate 53.8%, OTIF 25.0%"); that there are no actuals yet when none came.
 */
function keyFigures(t: KpiSet | undefined): string {
  if (!t) return '';
  if (t.salesUnits <= 0 && t.actualProduction <= 0 && t.orderLines <= 0) return ': no actuals yet';
  const pct = (x: number | null) => (x === null ? 'n/a' : formatPercent(x));
  const figures = [
    ...(t.adherence === null ? [] : [`plan adherence ${pct(t.adherence)}`]),
    ...(t.orderLines === 0 ? [] : [`fill rate ${pct(t.fillRate)}, OTIF ${pct(t.otif)}`]),
  ];
  return figures.length ? `: ${figures.join('; ')}` : '';
}

/** The members the review shows by name: the names to read before `reviewMessage`. */
export function reviewNamed(loop: PackLoop): string[] {
  return namesUsed((people) => [...reviewLines(loop, people), ...changedLines(loop, people)]);
}

/**
 * `withChart`: the trend chart is posted in the message's thread. `nameOf`: each
 * person's name (userNames, resolved before: reviewNamed). The review says who adjusted or
 * recorded what by name, in plain text: it asks nobody to act, and pings nobody.
 */
export function reviewMessage(
  month: string,
  loop: PackLoop,
  withChart = false,
  nameOf: Who = (id) => id,
): { text: string; blocks: types.KnownBlock[] } {
  const people: People = { name: (id) => nameInLine(nameOf(id)), ask: mention };
  // The lines are plain text: escaped here, with any mention of the members they name.
  const named = new Set(loopPeople(loop));
  const section = (title: string, lines: readonly string[]): types.KnownBlock[] =>
    lines.length
      ? [
          {
            type: 'section',
            text: mrkdwn(
              clip(
                `*${title}*\n${lines.map((l) => bullet(l, 'slack', (t) => escKeepingMentions(t, named))).join('\n')}`,
                3000,
              ),
            ),
          },
        ]
      : [];
  const r = loop.trend.at(-1);
  // The months as the pack writes a span ("2027-01–2027-02"), never empty.
  const ps = r?.review.periods ?? [];
  const months = periodSpan(ps) || 'the last month';
  // Against what it is, not always "the last adopted plan": the previous cycle may have
  // adopted none (its latest plan stands in) or had no plan at all.
  const against = !r?.reference
    ? 'with no earlier plan to set them against'
    : r.reference.adopted
      ? 'against the last adopted plan'
      : `against cycle ${r.reference.month}'s latest plan, as none was adopted`;
  return {
    text: `S&OP ${month}: performance review of ${months}${keyFigures(r?.review.total)}.`,
    blocks: [
      { type: 'header', text: plain(clip(`S&OP ${month}: performance review`, 150)) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `The cycle opens by reviewing ${months}: KPIs per family and in total, ${against}.${withChart ? ' The trend chart is in the thread.' : ''} The same lines are in the pack (questions 1–3 and 10).`,
          ),
        ],
      },
      ...section('How we executed', reviewLines(loop, people)),
      ...section('Families furthest from plan', familyLines(loop)),
      ...section('What changed since the last adopted plan', changedLines(loop, people)),
      ...section('Follow-through of the last decision', followLines(loop)),
    ],
  };
}
