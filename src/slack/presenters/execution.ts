/**
 * Weekly S&OE in Slack: the `/sop execution` modal for operations and its parser, a
 * deviation's post in the supply channel, and the Monday digest. Text people typed is
 * escaped before it reaches mrkdwn.
 */
import type { types } from '@slack/bolt';
import type { DeviationKind } from '../../../db/schema.js';
import { isDay } from '../../core/calendar.js';
import { REPORT_KINDS, type ReportKind } from '../../core/execution.js';
import { MAX_COMMENT_CHARS, readFreeText } from '../../core/text.js';
import {
  decimalCommaAdvice,
  dotThousandsAdvice,
  MAX_TYPED_UNITS,
  MAX_TYPED_UNITS_TEXT,
  readTypedNumber,
} from '../../core/typed-number.js';
import { andMore, clipMrkdwn, fitText, SECTION_TEXT_CHARS, splitMrkdwn } from './fit.js';
import { clip, esc, escInMarks, mrkdwn, plain } from './format.js';

export const EXECUTION_CALLBACK = 'execution_submit';

/** What each kind of deviation is called in messages. */
export const KIND_LABEL: Readonly<Record<DeviationKind, string>> = {
  sales_above_p90: 'Sales above range',
  production_below_plan: 'Production below plan',
  supplier_short: 'Supplier short',
  reported: 'Reported by operations',
};

/**
 * What the owner of a deviation is asked to do: the same words in its post, in every DM and
 * reminder of its action, and in the roll-up's DM, so they cannot drift apart.
 */
export const DEVIATION_TASK =
  'To do: find the cause and act within the adopted plan (expedite, re-sequence or re-allocate) without reopening it, then mark the action Done.';

/**
 * The buttons every message about a follow-up action carries (actionButtons), as a text that
 * sends people to them names them: the roll-up's and the digest's pointers to App Home, and a
 * deviation's post, whose suggested owner may be the wrong one.
 */
export const ACTION_BUTTON_NAMES = 'Done, Snooze and Reassign';

const quantityInput = (block: string, label: string): types.KnownBlock => ({
  type: 'input',
  block_id: block,
  optional: true,
  label: plain(label),
  // The post writes the figures in the code's unit (families.csv and resources.csv `unit`).
  hint: plain('In the unit the family or resource is counted in: a line’s is often hours.'),
  element: {
    type: 'number_input',
    action_id: 'value',
    is_decimal_allowed: true,
    min_value: '0',
    max_value: String(MAX_TYPED_UNITS),
  },
});

/** The quantity inputs' labels, which their refusals name. */
const QUANTITY_LABEL = {
  expected: 'Quantity expected that week',
  actual: 'Quantity you now expect',
} as const;

export function executionModal(today: string): types.View {
  return {
    type: 'modal',
    callback_id: EXECUTION_CALLBACK,
    title: plain('Report a deviation'),
    submit: plain('Report'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            'Weekly S&OE: what the imported numbers cannot show yet. It is posted in the supply channel with you as its owner; one that breaks the frozen plan goes to the next executive meeting.',
          ),
        ],
      },
      {
        type: 'input',
        block_id: 'kind',
        label: plain('What happened'),
        element: {
          type: 'static_select',
          action_id: 'pick',
          options: Object.entries(REPORT_KINDS).map(([value, label]) => ({
            text: plain(label),
            value,
          })),
        },
      },
      {
        type: 'input',
        block_id: 'code',
        label: plain('Supplier, line or family code'),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          max_length: 64,
          placeholder: plain('SUP-1'),
        },
      },
      {
        type: 'input',
        block_id: 'day',
        label: plain('Week (any day of it)'),
        element: { type: 'datepicker', action_id: 'date', initial_date: today },
      },
      quantityInput('expected', QUANTITY_LABEL.expected),
      quantityInput('actual', QUANTITY_LABEL.actual),
      {
        type: 'input',
        block_id: 'comment',
        label: plain('What you know'),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: MAX_COMMENT_CHARS,
        },
      },
    ],
  };
}

type Values = Record<
  string,
  Record<
    string,
    {
      selected_option?: { value?: string } | null;
      value?: string | null;
      selected_date?: string | null;
    }
  >
>;

export interface ParsedReport {
  readonly kind: ReportKind | null;
  readonly code: string;
  readonly day: string;
  readonly expected: number | null;
  readonly actual: number | null;
  readonly comment: string;
  readonly errors: Readonly<Record<string, string>>;
}

export function parseExecutionState(values: Values): ParsedReport {
  const errors: Record<string, string> = {};
  const kind = values.kind?.pick?.selected_option?.value ?? '';
  if (!(kind in REPORT_KINDS)) errors.kind = 'Choose what happened.';
  const code = (values.code?.value?.value ?? '').trim();
  if (!code) errors.code = 'Give the supplier, line or family code.';
  const day = values.day?.date?.selected_date ?? '';
  if (!isDay(day)) errors.day = 'Pick a day of the week concerned.';
  const qty = (block: keyof typeof QUANTITY_LABEL) => {
    const raw = (values[block]?.value?.value ?? '').trim();
    if (!raw) return null;
    const n = readTypedNumber(raw);
    if (n.kind === 'decimal-comma') {
      errors[block] = `'${raw}': ${decimalCommaAdvice(raw)}`;
      return null;
    }
    if (n.kind === 'other-writing') {
      errors[block] = `'${raw}' ${n.message}`;
      return null;
    }
    const label = QUANTITY_LABEL[block].replace(/ that week$/, '');
    if (n.kind === 'no-value') {
      errors[block] = `${label}: '${raw}' is no number; leave both quantities empty, or give each.`;
      return null;
    }
    if (n.kind === 'not-a-number' || n.value < 0) {
      errors[block] = `${label}: give a number of units from 0 to ${MAX_TYPED_UNITS_TEXT}.`;
      return null;
    }
    // `1.200`: twelve hundred where a dot groups thousands, not 1.2 units.
    const dot = dotThousandsAdvice(raw, true);
    if (dot) {
      errors[block] = `'${raw}' ${dot}`;
      return null;
    }
    if (n.value > MAX_TYPED_UNITS) {
      errors[block] =
        `${label}: '${raw}' is more than the limit of ${MAX_TYPED_UNITS_TEXT} units; check the value.`;
      return null;
    }
    return n.value;
  };
  const expected = qty('expected');
  const actual = qty('actual');
  if ((expected === null) !== (actual === null) && !errors.expected && !errors.actual)
    errors[expected === null ? 'expected' : 'actual'] = 'Give both quantities, or neither.';
  const typed = readFreeText('What you know', values.comment?.value?.value ?? '');
  const comment = typed.ok ? typed.text : '';
  if (!typed.ok) errors.comment = typed.message;
  else if (!comment) errors.comment = 'Say what you know.';
  return {
    kind: kind in REPORT_KINDS ? (kind as ReportKind) : null,
    code,
    day,
    expected,
    actual,
    comment,
    errors,
  };
}

export interface DeviationView {
  readonly id: string;
  readonly kind: DeviationKind;
  readonly week: string;
  readonly summary: string;
  readonly comment: string | null;
  readonly owner: string;
  readonly due: string;
  readonly actionId: string;
  readonly frozenBreak: boolean;
  readonly reportedBy: string | null;
}

/**
 * A deviation's post in the supply channel. Its owner and who reported it are named (`nameOf`,
 * their Slack name; the id when none is known), in plain text: the owner is told once, by the
 * action's DM (with its buttons), sent with this post; the post tells the channel.
 */
export function deviationMessage(
  d: DeviationView,
  nameOf: (userId: string) => string = (id) => id,
): { text: string; blocks: types.KnownBlock[] } {
  const head = `${d.frozenBreak ? ':rotating_light: ' : ':warning: '}*${KIND_LABEL[d.kind]}*: ${esc(d.summary)}.`;
  const ownerName = escInMarks(nameOf(d.owner));
  const owner = `Suggested owner ${ownerName}, due ${d.due} (action #${d.actionId}: ${ACTION_BUTTON_NAMES} in their DM; \`/sop actions\` lists it).`;
  const quote = d.comment ? `> ${esc(d.comment).replace(/\n/g, '\n> ')}` : null;
  const after = [
    owner,
    DEVIATION_TASK,
    ...(d.frozenBreak
      ? ['This breaks the frozen zone’s assumptions: it goes to the next executive meeting.']
      : []),
  ].join('\n');
  const whole = [head, quote, after].filter((l) => l !== null).join('\n');
  // The comment is kept nowhere else: one too long for the section with the rest (up to five
  // times its typed length once escaped) goes whole in sections of its own, still quoted, and
  // the owner, the task and the frozen break after it.
  const texts =
    whole.length <= SECTION_TEXT_CHARS || quote === null
      ? [whole]
      : [
          head,
          ...splitMrkdwn(quote, SECTION_TEXT_CHARS - 2).map((p) =>
            p.startsWith('> ') ? p : `> ${p}`,
          ),
          after,
        ];
  return {
    // The notification: what deviated, whether it breaks the frozen plan, and the ask (the
    // section's words without its marks or emoji, escaped alike).
    text: clipMrkdwn(
      `${KIND_LABEL[d.kind]}: ${esc(d.summary)}.${d.frozenBreak ? ' It breaks the frozen plan.' : ''} Suggested owner ${ownerName}, due ${d.due} (action #${d.actionId}).`,
      3000,
    ),
    blocks: [
      ...texts.map((t): types.KnownBlock => ({ type: 'section', text: mrkdwn(t) })),
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Weekly S&OE · week of ${d.week} · deviation ${d.id}${d.reportedBy ? ` · reported by ${escInMarks(nameOf(d.reportedBy))}` : ''}`,
          ),
        ],
      },
    ],
  };
}

/** A correction or resolution of a deviation by a new import: its note (thread and DM). */
export function deviationRevisionMessage(r: {
  readonly id: string;
  readonly week: string;
  readonly note: string;
  readonly resolved: boolean;
}): { text: string; blocks: types.KnownBlock[] } {
  const head = `${r.resolved ? ':white_check_mark: ' : ':pencil2: '}${esc(r.note)}`;
  return {
    text: clipMrkdwn(esc(r.note), 3000),
    blocks: [
      { type: 'section', text: mrkdwn(clip(head, 3000)) },
      {
        type: 'context',
        elements: [mrkdwn(`Weekly S&OE · week of ${r.week} · deviation ${r.id}`)],
      },
    ],
  };
}

export interface DigestView {
  readonly week: string;
  readonly sales: number | null;
  readonly production: number | null;
  readonly deviations: readonly {
    summary: string;
    /**
     * Its kind and family or resource code: a deviation whose own post went out (`announced`)
     * is listed by them, its figures left to that post rather than repeated here.
     */
    kind?: DeviationKind;
    code?: string | null;
    week: string;
    owner: string | null;
    due: string | null;
    status: string;
    frozenBreak: boolean;
    actionId: string | null;
    /**
     * Its own post went out (the owner was mentioned there, and DMed): the digest, a summary,
     * names the owner. Absent or false: the owner is mentioned, the digest being the first
     * post to tell them.
     */
    announced?: boolean;
  }[];
  /**
   * The frozen-zone breaks the next executive meeting takes up (its pack's question 6): every
   * one recorded since the last meeting's pack, done or open, and those an earlier meeting
   * deferred (nextMeetingEscalations), not only those listed here; `done` of them are done.
   */
  readonly nextMeeting: { readonly breaks: number; readonly done: number };
  /**
   * The weeks before `week` no digest went out for, oldest first, with their totals, that this
   * one covers too (a worker down across their Mondays); `since`: the week of the latest digest
   * posted, when older weeks than these went without one. Absent: none missed.
   */
  readonly missed?: {
    readonly weeks: readonly {
      readonly week: string;
      readonly sales: number | null;
      readonly production: number | null;
    }[];
    readonly since: string | null;
  };
}

/** "2 breaks of the frozen plan go to the next executive meeting, 1 of them done." */
function nextMeetingText({ breaks, done }: DigestView['nextMeeting']): string {
  if (breaks === 0) return 'No break of the frozen plan goes to the next executive meeting.';
  const them = breaks === 1 ? 'done already' : `${done} of them done`;
  return `${breaks} ${breaks === 1 ? 'break of the frozen plan goes' : 'breaks of the frozen plan go'} to the next executive meeting${done > 0 ? `, ${them}` : ''}.`;
}

const MAX_DIGEST_LINES = 15;

/**
 * A deviation's line says in words that it breaks the frozen plan: the :rotating_light: beside
 * it is read out as "rotating light", or not shown at all in a notification.
 */
export const BREAKS_WORDS = 'breaks the frozen plan';

/**
 * `nameOf`: each owner's name (userNames, read before), for the deviations whose own post
 * went out (`announced`).
 */
export function digestMessage(
  v: DigestView,
  nameOf: (userId: string) => string = (id) => id,
): { text: string; blocks: types.KnownBlock[] } {
  const units = (n: number | null) =>
    n === null ? 'not imported' : `${Math.round(n).toLocaleString('en-US')} units`;
  const open = v.deviations.filter((d) => d.status === 'open' || d.status === 'overdue');
  const owner = (id: string, announced: boolean) =>
    announced ? escInMarks(nameOf(id)) : `<@${id}>`;
  // A deviation already posted in this channel is listed by its kind and code, where it stands,
  // and its action: its post has the figures. One never posted gives them here.
  const short = (d: DigestView['deviations'][number]) =>
    d.announced === true && d.kind !== undefined && d.code ? d : null;
  const what = (d: DigestView['deviations'][number]) => {
    const s = short(d);
    return s ? `*${KIND_LABEL[s.kind!]}* ${esc(s.code!)}` : esc(d.summary);
  };
  const line = (d: DigestView['deviations'][number]) =>
    `${d.frozenBreak ? ':rotating_light: ' : ''}${d.status === 'overdue' ? '*OVERDUE* ' : d.status === 'done' ? ':white_check_mark: *done* ' : ''}${what(d)}${d.frozenBreak ? ` · ${BREAKS_WORDS}` : ''}${d.owner ? ` · ${owner(d.owner, d.announced === true)} due ${d.due}` : ''}${short(d) && d.actionId ? ` · action #${d.actionId}` : ''}`;
  // Whole lines, at most MAX_DIGEST_LINES of them, then how many more and where they are: a
  // list cut to Slack's 3,000 characters would lose its count and end mid-line.
  const list = fitText(
    '',
    v.deviations.map((d) => `• ${line(d)}`),
    { chars: SECTION_TEXT_CHARS, lines: MAX_DIGEST_LINES },
    (n) => andMore(n, n === 1 ? 'deviation' : 'deviations', '`/sop actions` lists the open ones'),
  ).text;
  // Without deviations the count is the next section's "No deviation", not said twice.
  const openCount = v.deviations.length
    ? ` ${open.length} deviation${open.length === 1 ? '' : 's'} open.`
    : '';
  const missed = v.missed?.weeks ?? [];
  const weeks =
    missed.length > 0 ? `weeks of ${missed[0]!.week} to ${v.week}` : `week of ${v.week}`;
  const totals = (w: { sales: number | null; production: number | null }) =>
    `sales ${units(w.sales)}, production ${units(w.production)}`;
  const headline =
    missed.length > 0
      ? `Week of ${v.week}: ${totals(v)}.`
      : `Sales ${units(v.sales)}, production ${units(v.production)}.`;
  const missedBlocks: types.KnownBlock[] =
    missed.length > 0
      ? [
          {
            type: 'section',
            text: mrkdwn(
              [
                `:hourglass: ${missedText(
                  missed.map((w) => w.week),
                  v.missed?.since ?? null,
                )}`,
                ...missed.map((w) => `Week of ${w.week}: ${totals(w)}.`),
              ].join('\n'),
            ),
          },
        ]
      : [];
  return {
    text: `S&OE digest, ${weeks}: ${open.length} open deviation${open.length === 1 ? '' : 's'}`,
    blocks: [
      { type: 'header', text: plain(clip(`S&OE digest: ${weeks}`, 150)) },
      ...missedBlocks,
      {
        type: 'section',
        text: mrkdwn(`${headline}${openCount} ${nextMeetingText(v.nextMeeting)}`),
      },
      {
        type: 'section',
        text: mrkdwn(v.deviations.length ? list : noDeviationText(v.sales, v.production)),
      },
      ...(v.deviations.some((d) => short(d))
        ? [
            {
              type: 'context',
              elements: [
                mrkdwn(
                  'Deviations posted in this channel when they were found are listed by code: their posts have the figures and, in their threads, any correction.',
                ),
              ],
            } satisfies types.KnownBlock,
          ]
        : []),
    ],
  };
}

/**
 * What a digest covering weeks no digest went out for says of them: "No digest went out for
 * the weeks of 2027-02-08 and 2027-02-15: this one covers them too, …"; with `since`, that
 * none went out since that week's either, and the weeks between are not summed.
 */
function missedText(weeks: readonly string[], since: string | null): string {
  const named =
    weeks.length === 1
      ? `the week of ${weeks[0]}`
      : `the weeks of ${weeks.slice(0, -1).join(', ')} and ${weeks[weeks.length - 1]}`;
  const them = weeks.length === 1 ? 'it' : 'them';
  const before = since
    ? ` The last digest was the week of ${since}'s; the weeks between are not summed here, and \`/sop actions\` lists every deviation still open.`
    : '';
  return `No digest went out for ${named}: this one covers ${them} too, with ${weeks.length === 1 ? 'its' : 'their'} deviations.${before}`;
}

/**
 * The digest's line when the week has no deviation. Only a week whose sales and production
 * were both imported was checked against the plan; of one without them nothing is known, so
 * the line says what to import rather than that the week ran to plan.
 */
function noDeviationText(sales: number | null, production: number | null): string {
  const cmd = (kind: string) => `\`sopbot import ${kind}\``;
  if (sales === null && production === null)
    return `Nothing to check against the plan yet: import the week's actuals (${cmd('weekly-sales')}, ${cmd('weekly-production')}).`;
  if (sales === null)
    return `No deviation in the week's production; import its sales (${cmd('weekly-sales')}) to check them too.`;
  if (production === null)
    return `No deviation in the week's sales; import its production (${cmd('weekly-production')}) to check it too.`;
  return 'No deviation: the week ran to plan.';
}
