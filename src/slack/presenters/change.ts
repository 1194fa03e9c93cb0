/**
 * Presenters for a stored forecast adjustment or capacity update: the confirmation to its
 * author, the short threaded note, and the one summary message per cycle and channel.
 */
import type { types } from '@slack/bolt';
import type { FamilyActivity } from '../../../db/queries/adjustments.js';
import type { ResourceActivity } from '../../../db/queries/capacity.js';
import { codeSpan, compareCodes } from '../../core/text.js';
import type { ChangeOutcome } from '../../services/adjustments.js';
import { constraintPhrase } from './constraints.js';
import { andMore, fitText, SECTION_TEXT_CHARS } from './fit.js';
import { clip, esc, escInMarks, fmtChange, fmtQty, fmtRange, mrkdwn, plain } from './format.js';

export type ChangeSubject = 'forecast' | 'capacity';

/** A person's name by their Slack user id (the id itself when no name is known). */
export type NameOf = (userId: string) => string;

const NOUN: Readonly<Record<ChangeSubject, string>> = {
  forecast: 'Forecast adjustment',
  capacity: 'Capacity update',
};

/**
 * A monospace table of month, before → after and the month's time fence in words: "slushy" or
 * "frozen", with ", flagged" when the month is flagged for review (a mark such as "slushy*"
 * said nothing of what it meant; a capacity update's months are never flagged).
 */
export function beforeAfterTable(lines: ChangeOutcome['lines']): string {
  const rows = lines.map((l) => {
    const arrow = `${fmtQty(l.before).padStart(9)} → ${fmtQty(l.after).padEnd(9)}`;
    const zone = l.zone === 'liquid' ? '' : `${l.zone}${l.flagged ? ', flagged' : ''}`;
    return `${l.period}  ${arrow} ${zone}`.trimEnd();
  });
  return `\`\`\`Month       Before → After\n${rows.join('\n')}\`\`\``;
}

/** The rep's "no change this cycle" confirmation; family codes come from an import, so escaped. */
export function noChangeText(cycleMonth: string, families: readonly string[]): string {
  return `:ok_hand: Recorded: no change this cycle (${cycleMonth}) for ${families.map(esc).join(', ')}.`;
}

/** A reason code as words, escaped (reason codes are set by an admin). */
const reasonText = (r: string) => esc(r.replace(/_/g, ' '));

export function confirmationText(o: ChangeOutcome, subject: ChangeSubject): string {
  const range = fmtRange(o.input.from, o.input.to);
  return `${NOUN[subject]} saved: ${esc(o.target.code)} ${range} ${fmtChange(o.input.kind, o.input.value)} (${reasonText(o.input.reason)}).`;
}

/** Open constraints a confirmation names by number at most; the rest are counted. */
const ALSO_OPEN_LISTED = 5;

/**
 * A capacity update's open constraints in the same months (`alsoOpen`), named with how to
 * take one back; null when there are none. Two people entering one breakdown cut it twice.
 */
export function alsoOpenText(o: ChangeOutcome): string | null {
  const also = o.alsoOpen ?? [];
  const first = also[0];
  if (!first) return null;
  const one = also.length === 1;
  const listed = also
    .slice(0, ALSO_OPEN_LISTED)
    .map((e) => `#${e.id} ${constraintPhrase(e)}`)
    .join('; ');
  const more = also.length > ALSO_OPEN_LISTED ? ` and ${also.length - ALSO_OPEN_LISTED} more` : '';
  const how =
    o.input.kind === 'set'
      ? `This update sets the capacity: while it is open, ${one ? `#${first.id} changes nothing in the months both cover` : 'they change nothing in the months they share with it'}.`
      : `${one ? 'Both count' : 'All count'}: this update's change comes on top of ${one ? 'its' : 'theirs'}.`;
  const withdraw = `\`/sop constraints withdraw ${first.id}\``;
  const resolve = `\`/sop constraints resolve ${first.id}\``;
  const fix = one
    ? `If this update replaces #${first.id}, withdraw it with ${withdraw}; if #${first.id} is over, resolve it with ${resolve}.`
    : `If this update replaces one of them, withdraw that one by its number (${withdraw}); resolve one that is over (${resolve}).`;
  return `:warning: Also open in these months: ${listed}${more}. ${how} ${fix}`;
}

/** Why a flagged month was accepted, by its zone (the months' own notes say it once each). */
const FLAG_WHY: Readonly<Record<string, string>> = {
  frozen: 'frozen zone: accepted as an executive exception',
  slushy: 'slushy zone: accepted',
};

/**
 * "Flagged for review: 2027-05, 2027-06 (slushy zone: accepted)." Said once for the months of
 * a zone, not once a month: a three-month change repeated the same sentence three times.
 */
export function flaggedText(flagged: readonly ChangeOutcome['lines'][number][]): string {
  const zones = [...new Set(flagged.map((l) => l.zone))];
  const parts = zones.map((z) => {
    const months = flagged.filter((l) => l.zone === z).map((l) => l.period);
    const why = FLAG_WHY[z];
    return `${months.join(', ')}${why ? ` (${why})` : ''}`;
  });
  return `Flagged for review: ${parts.join('; ')}.`;
}

export function confirmationBlocks(o: ChangeOutcome, subject: ChangeSubject): types.KnownBlock[] {
  const flagged = o.lines.filter((l) => l.flagged);
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `:white_check_mark: *${NOUN[subject]} saved* for *${escInMarks(o.target.code)}* (${esc(clip(o.target.name, 80))}), cycle ${o.cycle.month}: ${fmtChange(o.input.kind, o.input.value)}, ${reasonText(o.input.reason)}${o.input.comment ? ` — “${esc(clip(o.input.comment, 300))}”` : ''}`,
      ),
    },
    { type: 'section', text: mrkdwn(clip(beforeAfterTable(o.lines), 3000)) },
  ];
  if (flagged.length > 0)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(clip(`:triangular_flag_on_post: ${flaggedText(flagged)}`, 3000))],
    });
  const cut = o.lines.filter((l) => l.after < l.before);
  if (subject === 'capacity' && cut.length > 0)
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `Less capacity than before in ${cut.length === o.lines.length ? 'these months' : cut.map((l) => l.period).join(', ')}: a constraint, which every plan for them uses until it is resolved or withdrawn with \`/sop constraints\`.`,
        ),
      ],
    });
  const also = alsoOpenText(o);
  if (also) blocks.push({ type: 'context', elements: [mrkdwn(clip(also, 3000))] });
  if (o.replay)
    blocks.push({
      type: 'context',
      elements: [mrkdwn('This request had already been saved; nothing was recorded twice.')],
    });
  return blocks;
}

/**
 * The one-line threaded note under the cycle's summary. Its author is named in plain text
 * (`nameOf`, their Slack name read with the rest of the reply's; the id when none is known),
 * not mentioned: the note records what they did and asks nothing of them.
 */
export function threadNote(o: ChangeOutcome, nameOf: NameOf = (id) => id): string {
  const first = o.lines[0];
  const last = o.lines.at(-1);
  const span =
    first && last
      ? first === last
        ? `${fmtQty(first.before)} → ${fmtQty(first.after)}`
        : `${first.period} ${fmtQty(first.before)} → ${fmtQty(first.after)} … ${last.period} ${fmtQty(last.before)} → ${fmtQty(last.after)}`
      : '';
  // Said in words: the flag alone is read out as "triangular flag on post".
  const flag = o.lines.some((l) => l.flagged)
    ? ' :triangular_flag_on_post: flagged for review'
    : '';
  const comment = o.input.comment ? ` — “${esc(clip(o.input.comment, 200))}”` : '';
  return `${escInMarks(nameOf(o.author))} *${escInMarks(o.target.code)}* ${fmtRange(o.input.from, o.input.to)} ${fmtChange(o.input.kind, o.input.value)} (${reasonText(o.input.reason)})${comment}: ${span}${flag}`;
}

/** Families or resources a channel summary lists by name at most; the rest are counted. */
export const SUMMARY_LINES = 40;

/**
 * `head`, then as many whole lines as fit in a section (at most SUMMARY_LINES), then
 * "…and N more <what>." for the rest: with long codes 40 lines pass Slack's 3000 characters,
 * and the count must stay (a clip of the whole text cut it off, and a line mid-word).
 */
const summaryText = (head: string, lines: readonly string[], what: string): string =>
  fitText(head, lines, { chars: SECTION_TEXT_CHARS, lines: SUMMARY_LINES }, (n) => andMore(n, what))
    .text;

/** A family's "no change" declarations in a cycle: how many sales reps made one for it. */
export interface FamilyDeclared {
  readonly family: string;
  readonly reps: number;
}

/**
 * The families the demand summary lists, each with something adjusted (this cycle or carried
 * from earlier ones), and how many others had only "no change" declared (counted, not listed:
 * 28 of 30 reps clicking No change filled the list with them and cut adjustments off it).
 * Listed by the months adjusted this cycle, then those carried, the most first (the biggest
 * changes the summary can measure), then in code order, digits as numbers.
 */
function demandSummaryFamilies(
  activity: readonly FamilyActivity[],
  declared: readonly FamilyDeclared[],
): { listed: FamilyActivity[]; onlyDeclared: number } {
  const listed = activity
    .filter((a) => a.adjustments > 0 || a.carried > 0)
    .sort(
      (x, y) =>
        y.adjustments - x.adjustments || y.carried - x.carried || compareCodes(x.family, y.family),
    );
  const shown = new Set(listed.map((a) => a.family));
  const onlyDeclared = new Set(
    declared.filter((d) => d.reps > 0 && !shown.has(d.family)).map((d) => d.family),
  ).size;
  return { listed, onlyDeclared };
}

/**
 * The demand channel's summary: per family adjusted, the months adjusted this cycle (each
 * adjustment is one family-month, so the head and the lines count the same thing), those
 * carried from earlier cycles, and the reps who declared no change for it too; then one line
 * counting the families with only "no change" declared (input too: `/sop status` counts it as
 * an answer). Families by the months adjusted, the most first (`demandSummaryFamilies`); those
 * that do not fit are counted with the command that lists one's changes.
 */
export function demandSummaryBlocks(
  cycleMonth: string,
  activity: readonly FamilyActivity[],
  declared: readonly FamilyDeclared[] = [],
): types.KnownBlock[] {
  const total = activity.reduce((s, a) => s + a.adjustments, 0);
  const carried = activity.reduce((s, a) => s + a.carried, 0);
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const declaredBy = new Map(declared.filter((d) => d.reps > 0).map((d) => [d.family, d.reps]));
  const { listed, onlyDeclared } = demandSummaryFamilies(activity, declared);
  const rows = listed.map((a) => {
    const own = a.adjustments
      ? `${plural(a.adjustments, 'adjustment month')} by ${a.authors} ${a.authors === 1 ? 'person' : 'people'}${a.flagged ? `, ${a.flagged} flagged` : ''}`
      : '';
    const kept = a.carried ? `${a.carried} carried from earlier cycles` : '';
    const reps = declaredBy.get(a.family);
    const same = reps ? `no change declared by ${plural(reps, 'rep')}` : '';
    return `• *${escInMarks(a.family)}*: ${[own, kept, same].filter(Boolean).join('; ')}`;
  });
  const carriedNote = carried
    ? `${plural(carried, 'adjustment month')} carried from earlier cycles count until their authors adjust those months again.`
    : '';
  const head = [
    total === 0 ? 'No adjustments yet this cycle.' : `${plural(total, 'adjustment month')} so far.`,
    carriedNote,
  ]
    .filter(Boolean)
    .join(' ');
  // Always shown, after the list: the "more" line and the lines make room for it.
  const declaredLine = onlyDeclared
    ? `No change declared for ${onlyDeclared}${listed.length ? ' other' : ''} ${onlyDeclared === 1 ? 'family' : 'families'}.`
    : '';
  // The families left out are the last ones listed, the fewest months: the first is named.
  const more = (n: number) => {
    const first = listed[listed.length - n]?.family ?? '';
    return andMore(
      n,
      n === 1 ? 'adjusted family' : 'adjusted families',
      `${esc(codeSpan(`/sop explain who changed ${first}`, 120))} lists a family's adjustments`,
    );
  };
  const budget = SECTION_TEXT_CHARS - (declaredLine ? declaredLine.length + 1 : 0);
  const fitted = fitText(head, rows, { chars: budget, lines: SUMMARY_LINES }, more).text;
  return [
    { type: 'header', text: plain(clip(`Demand review ${cycleMonth}: forecast adjustments`, 150)) },
    {
      type: 'section',
      text: mrkdwn(
        total === 0 && carried === 0 && declaredBy.size === 0
          ? 'No adjustments yet.'
          : [fitted, declaredLine].filter(Boolean).join('\n'),
      ),
    },
    {
      type: 'context',
      elements: [mrkdwn('Each submission is in the thread. Adjust with `/forecast`.')],
    },
  ];
}

/**
 * The demand summary's notification and screen-reader text, drawn again with its blocks: how
 * many months were adjusted this cycle and for how many families, those carried from earlier
 * cycles, and the other families, declared unchanged ("Demand review 2027-01: 5 adjustment
 * months so far, for 3 families; no change declared for 1 other family.").
 */
export function demandSummaryText(
  cycleMonth: string,
  activity: readonly FamilyActivity[],
  declared: readonly FamilyDeclared[] = [],
): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const total = activity.reduce((s, a) => s + a.adjustments, 0);
  const carried = activity.reduce((s, a) => s + a.carried, 0);
  const adjusted = activity.filter((a) => a.adjustments > 0).length;
  const { listed, onlyDeclared } = demandSummaryFamilies(activity, declared);
  const other = listed.length ? 'other ' : '';
  const parts = [
    total === 0
      ? 'no adjustments yet'
      : `${plural(total, 'adjustment month', 'adjustment months')} so far, for ${plural(adjusted, 'family', 'families')}`,
    ...(carried ? [`${carried} carried from earlier cycles`] : []),
    ...(onlyDeclared
      ? [`no change declared for ${plural(onlyDeclared, `${other}family`, `${other}families`)}`]
      : []),
  ];
  return `Demand review ${cycleMonth}: ${parts.join('; ')}.`;
}

/** The threaded note of a rep's "no change" declaration (their name and family codes escaped). */
export function noChangeNote(
  author: string,
  families: readonly string[],
  nameOf: NameOf = (id) => id,
): string {
  return `${escInMarks(nameOf(author))} declared no change for ${families.map((f) => `*${escInMarks(f)}*`).join(', ')}`;
}

/**
 * The supply summary's notification and screen-reader text, drawn again with its blocks: the
 * open capacity updates and how many resources they are on ("Supply review 2027-01: 3 open
 * capacity updates on 2 resources.").
 */
export function supplySummaryText(
  cycleMonth: string,
  activity: readonly ResourceActivity[],
): string {
  const updates = activity.reduce((s, a) => s + a.updates, 0);
  if (activity.length === 0) return `Supply review ${cycleMonth}: no capacity updates yet.`;
  const n = activity.length;
  return `Supply review ${cycleMonth}: ${updates} open capacity update${updates === 1 ? '' : 's'} on ${n} resource${n === 1 ? '' : 's'}.`;
}

/**
 * The net change of months as their confirmations print them: each month's after less its
 * before, both rounded as `fmtQty` writes them, so two months of "541 → 379" net −324, where
 * the unrounded 2 × −162.3 = −324.6 read "−325".
 */
function netAsShown(months: ResourceActivity['months']): number {
  return months.reduce((t, m) => t + Math.round(m.after) - Math.round(m.before), 0);
}

export function supplySummaryBlocks(
  cycleMonth: string,
  activity: readonly ResourceActivity[],
): types.KnownBlock[] {
  const rows = activity.map((a) => {
    const net = netAsShown(a.months);
    return `• *${escInMarks(a.resource)}*: ${a.updates} open update${a.updates === 1 ? '' : 's'}, net ${net >= 0 ? '+' : '−'}${fmtQty(Math.abs(net))} ${esc(a.unit)}`;
  });
  return [
    { type: 'header', text: plain(clip(`Supply review ${cycleMonth}: capacity updates`, 150)) },
    {
      type: 'section',
      text: mrkdwn(
        rows.length === 0 ? 'No capacity updates yet.' : summaryText('', rows, 'resources'),
      ),
    },
    {
      type: 'context',
      elements: [mrkdwn('Each update is in the thread. Update with `/capacity`.')],
    },
  ];
}
