/**
 * A weekly S&OE check that found many deviations, rolled up: one message in the supply
 * channel (the week, the count, the frozen-zone breaks first, as many whole lines as fit),
 * the complete list in its thread in as few replies as Slack takes, and one DM per owner
 * listing their new actions. Codes are escaped before they reach mrkdwn.
 */
import type { types } from '@slack/bolt';
import type { DeviationKind } from '../../../db/schema.js';
import { changeAsShown } from '../../core/execution.js';
import { fmtQty, fmtQtyIn, formatPercent } from '../../core/number-format.js';
import { ACTION_BUTTON_NAMES, BREAKS_WORDS, DEVIATION_TASK, KIND_LABEL } from './execution.js';
import {
  andMore,
  clipMrkdwn,
  fitText,
  jsonChars,
  MESSAGE_BLOCKS,
  MESSAGE_BLOCKS_CHARS,
  SECTION_TEXT_CHARS,
} from './fit.js';
import { clip, esc, escInMarks, mrkdwn, plain } from './format.js';

/** A deviation as the check recorded it. */
export interface RollupDeviation {
  readonly id: string;
  readonly kind: DeviationKind;
  /** The family or supplier code. */
  readonly code: string;
  /**
   * The unit its figures are counted in (its family's or resource's); null in a roll-up stored
   * before units were kept, whose figures then show none rather than a wrong one.
   */
  readonly unit?: string | null;
  readonly actual: number | null;
  readonly expected: number | null;
  /**
   * A sales break of the frozen plan: the planned quantity it was judged on, which its figures
   * give as its own post does. Absent or null otherwise (and in older stored roll-ups).
   */
  readonly planned?: number | null;
  readonly owner: string;
  readonly due: string;
  readonly actionId: string;
  readonly frozenBreak: boolean;
}

export interface RollupView {
  /** The week's Monday. */
  readonly week: string;
  readonly deviations: readonly RollupDeviation[];
}

type Message = { text: string; blocks: types.KnownBlock[] };

/** Lines the channel message shows before "…and N more" (the thread has them all). */
export const ROLLUP_MESSAGE_LINES = 15;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "sold 150 units, range top 140 (+7.1%)": the figures of a deviation, by kind, the unit (typed
 * in an import, escaped) said once, after the figure it counts first.
 */
export function rollupFigures(
  d: Pick<RollupDeviation, 'kind' | 'actual' | 'expected' | 'unit' | 'planned'>,
): string {
  if (d.actual === null || d.expected === null) return 'no figures';
  const withUnit = (n: number) => (d.unit ? esc(fmtQtyIn(n, d.unit)) : fmtQty(n));
  const a = d.kind === 'sales_above_p90' ? withUnit(d.actual) : fmtQty(d.actual);
  const e = d.kind === 'sales_above_p90' ? fmtQty(d.expected) : withUnit(d.expected);
  // Between the figures as printed, as the deviation's own post says it (changeAsShown).
  const change = (actual: number, base: number) => {
    const c = changeAsShown(actual, base);
    return c === null ? 'n/a' : formatPercent(c, 1, true);
  };
  const pct = change(d.actual, d.expected);
  switch (d.kind) {
    case 'sales_above_p90':
      return `sold ${a}, range top ${e} (${pct})${
        d.planned != null
          ? `, ${change(d.actual, d.planned)} against ${fmtQty(d.planned)} planned`
          : ''
      }`;
    case 'production_below_plan':
      return `produced ${a} of ${e} planned (${pct})`;
    case 'supplier_short':
      return `delivered ${a} of ${e} due (${pct})`;
    case 'reported':
      return `${a} of ${e} expected (${pct})`;
  }
}

/** The frozen-zone breaks first (they go to the executive meeting), each group as given. */
export function rollupOrder(ds: readonly RollupDeviation[]): RollupDeviation[] {
  return [...ds.filter((d) => d.frozenBreak), ...ds.filter((d) => !d.frozenBreak)];
}

const icon = (d: RollupDeviation) => (d.frozenBreak ? ':rotating_light: ' : '');

/** Each owner's Slack name (userNames, read before); the id when none is known. */
type NameOf = (userId: string) => string;

/**
 * One deviation's line in the channel and its thread. Its owner is named, not mentioned: the
 * owner's DM is what tells them (once per check), the channel's post tells the others.
 */
export function rollupLine(d: RollupDeviation, nameOf: NameOf = (id) => id): string {
  const breaks = d.frozenBreak ? ` · ${BREAKS_WORDS}` : '';
  return `• ${icon(d)}*${KIND_LABEL[d.kind]}* ${esc(d.code)}: ${rollupFigures(d)}${breaks} · ${escInMarks(nameOf(d.owner))} due ${d.due} · action #${d.actionId}`;
}

const breaksLine = (n: number) =>
  n === 0
    ? 'None breaks the frozen plan.'
    : `:rotating_light: *${plural(n, 'breaks', 'break')} the frozen plan* and ${n === 1 ? 'goes' : 'go'} to the next executive meeting (listed first).`;

/** The channel message's list: the breaks' count, then as many whole lines as fit. */
function rollupList(v: RollupView, nameOf: NameOf): { text: string; hidden: number } {
  const all = rollupOrder(v.deviations);
  const n = all.length;
  return fitText(
    breaksLine(all.filter((d) => d.frozenBreak).length),
    all.map((d) => rollupLine(d, nameOf)),
    { chars: SECTION_TEXT_CHARS, lines: ROLLUP_MESSAGE_LINES },
    (hidden) =>
      andMore(
        hidden,
        hidden === 1 ? 'deviation' : 'deviations',
        `this message's thread lists all ${n}`,
      ),
  );
}

/**
 * Whether the channel message leaves deviations out ("…and N more"), so its thread lists them
 * all (rollupThread); a message that shows every one has no list in its thread.
 */
export function rollupNeedsThread(v: RollupView, nameOf: NameOf = (id) => id): boolean {
  return rollupList(v, nameOf).hidden > 0;
}

/** The message in the supply channel: the header, the count and the first whole lines. */
export function rollupMessage(v: RollupView, nameOf: NameOf = (id) => id): Message {
  const all = rollupOrder(v.deviations);
  const n = all.length;
  const breaks = all.filter((d) => d.frozenBreak).length;
  const list = rollupList(v, nameOf).text;
  return {
    text: `S&OE, week of ${v.week}: ${plural(n, 'deviation', 'deviations')}, ${breaks} breaking the frozen plan`,
    blocks: [
      {
        type: 'header',
        text: plain(
          clip(`S&OE: ${plural(n, 'deviation', 'deviations')} in the week of ${v.week}`, 150),
        ),
      },
      { type: 'section', text: mrkdwn(list) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Weekly S&OE · each deviation is a follow-up action, sent to its owner by DM: ${ACTION_BUTTON_NAMES} in App Home, \`/sop actions\` lists them. Corrections are noted in this thread.`,
          ),
        ],
      },
    ],
  };
}

const rangeContext = (v: RollupView, from: number, to: number, n: number): types.KnownBlock => ({
  type: 'context',
  elements: [mrkdwn(`Deviations ${from}–${to} of ${n} · week of ${v.week}`)],
});

const blocksSize = (blocks: readonly types.KnownBlock[]) => JSON.stringify(blocks).length;

/**
 * The complete list for the message's thread, in as few replies as Slack takes: whole lines
 * packed into sections of at most 3,000 characters, at most 50 blocks and MESSAGE_BLOCKS_CHARS
 * of blocks (Slack's `msg_blocks_too_long` comes near 13k) a reply, each ending with the range
 * it holds. The same deviations always give the same replies, so a retry posts each once.
 */
export function rollupThread(v: RollupView, nameOf: NameOf = (id) => id): Message[] {
  const all = rollupOrder(v.deviations);
  const n = all.length;
  const lines = all.map((d) => clipMrkdwn(rollupLine(d, nameOf), SECTION_TEXT_CHARS));
  // The range context at its longest, kept free in every reply.
  const reserve = blocksSize([rangeContext(v, n, n, n)]) + 1;
  const emptySection = blocksSize([{ type: 'section', text: mrkdwn('') }]) - 2;
  const replies: string[][][] = [];
  let sections: string[][] = [];
  let sectionChars = 0;
  let used = 2 + reserve;
  for (const line of lines) {
    const more = jsonChars(line) + 2; // "\n" in JSON, then the line
    if (
      sections.length > 0 &&
      sectionChars + 1 + line.length <= SECTION_TEXT_CHARS &&
      used + more <= MESSAGE_BLOCKS_CHARS
    ) {
      sections.at(-1)?.push(line);
      sectionChars += 1 + line.length;
      used += more;
      continue;
    }
    const fresh = emptySection + jsonChars(line) + (sections.length > 0 ? 1 : 0);
    if (
      sections.length > 0 &&
      (sections.length + 1 >= MESSAGE_BLOCKS || used + fresh > MESSAGE_BLOCKS_CHARS)
    ) {
      replies.push(sections);
      sections = [];
      used = 2 + reserve;
    }
    used += emptySection + jsonChars(line) + (sections.length > 0 ? 1 : 0);
    sections.push([line]);
    sectionChars = line.length;
  }
  if (sections.length > 0) replies.push(sections);
  let from = 1;
  return replies.map((r) => {
    const count = r.reduce((k, s) => k + s.length, 0);
    const to = from + count - 1;
    const out: Message = {
      text: `S&OE, week of ${v.week}: deviations ${from}–${to} of ${n}`,
      blocks: [
        ...r.map((s): types.KnownBlock => ({ type: 'section', text: mrkdwn(s.join('\n')) })),
        rangeContext(v, from, to, n),
      ],
    };
    from = to + 1;
    return out;
  });
}

/** Where an owner marks the rolled-up actions done, snoozes them or gives them on. */
const WHERE_TO_ACT = `Mark each one done, snooze it or give it to someone else in App Home (the Home tab of sopbot), which shows your open actions with ${ACTION_BUTTON_NAMES}; \`/sop actions me\` lists them all. Each is reminded before it is due, with its own ${ACTION_BUTTON_NAMES} buttons.`;

/** When the actions are due, for the DM's notification: "due 2027-02-10", or the first date. */
function dueWords(ds: readonly RollupDeviation[]): string {
  const dues = [...new Set(ds.map((d) => d.due))].sort();
  return dues.length === 1 ? `due ${dues[0]}` : `the first due ${dues[0]}`;
}

/** One owner's DM: their new actions from the check, whole lines, then where to act on them. */
export function rollupOwnerDm(v: RollupView): Message {
  const mine = rollupOrder(v.deviations);
  const n = mine.length;
  const breaks = mine.filter((d) => d.frozenBreak).length;
  const head = `:memo: You own ${plural(n, 'follow-up action', 'follow-up actions')} from the weekly S&OE check of the week of ${v.week}${breaks > 0 ? `; ${breaks} of them ${breaks === 1 ? 'breaks' : 'break'} the frozen plan and ${breaks === 1 ? 'goes' : 'go'} to the next executive meeting` : ''}.`;
  const lines = mine.map(
    (d) =>
      `• ${icon(d)}*#${d.actionId}* ${KIND_LABEL[d.kind]} ${esc(d.code)}: ${rollupFigures(d)}${d.frozenBreak ? ` · ${BREAKS_WORDS}` : ''} · due ${d.due}`,
  );
  const list = fitText(
    `${head}\n${DEVIATION_TASK}`,
    lines,
    { chars: SECTION_TEXT_CHARS },
    (hidden) =>
      andMore(hidden, hidden === 1 ? 'action' : 'actions', '`/sop actions me` lists them all'),
  ).text;
  return {
    text: `You own ${plural(n, 'follow-up action', 'follow-up actions')} from the weekly S&OE check of the week of ${v.week}, ${dueWords(mine)}${breaks > 0 ? `; ${breaks} of them ${breaks === 1 ? 'breaks' : 'break'} the frozen plan` : ''}.`,
    blocks: [
      { type: 'section', text: mrkdwn(list) },
      { type: 'context', elements: [mrkdwn(WHERE_TO_ACT)] },
    ],
  };
}
