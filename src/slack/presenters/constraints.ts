/**
 * `/sop constraints`: the open capacity constraints, each with Resolve and Withdraw for those
 * who may act, and what a click did, shown in place of the list it came from.
 */
import type { types } from '@slack/bolt';
import { type Period, periodIndex } from '../../core/period.js';
import { codeSpan } from '../../core/text.js';
import type {
  ConstraintClosed,
  ConstraintEntry,
  ConstraintList,
} from '../../services/constraints.js';
import { andMore, clipMrkdwn, fitLines, jsonChars, MESSAGE_BLOCKS_CHARS } from './fit.js';
import {
  clip,
  esc,
  escInMarks,
  fmtChange,
  mrkdwn,
  notificationText,
  plain,
  slackDate,
} from './format.js';

export const CONSTRAINT_RESOLVE = 'constraint_resolve';
export const CONSTRAINT_WITHDRAW = 'constraint_withdraw';

/** Constraints listed with their buttons at most: two blocks each, within Slack's 50. */
export const CONSTRAINTS_LISTED = 20;

/** "2027-03..2027-04, 2027-06": consecutive months as ranges. */
export function monthRanges(months: readonly Period[]): string {
  const sorted = [...new Set(months)].sort();
  const out: string[] = [];
  let start = sorted[0];
  let prev = sorted[0];
  for (const m of sorted.slice(1)) {
    if (prev !== undefined && periodIndex(m) === periodIndex(prev) + 1) {
      prev = m;
      continue;
    }
    if (start !== undefined && prev !== undefined)
      out.push(start === prev ? start : `${start}..${prev}`);
    start = m;
    prev = m;
  }
  if (start !== undefined && prev !== undefined)
    out.push(start === prev ? start : `${start}..${prev}`);
  return out.join(', ');
}

/** A Slack user id as a mention; anything else (an import's author) as escaped text. */
const person = (id: string): string => (/^[UW][A-Z0-9_]+$/.test(id) ? `<@${id}>` : esc(id));

const reasonText = (r: string) => esc(r.replace(/_/g, ' '));

/** "*LINE-2* 2027-03..2027-04 -30% (maintenance)": what the constraint is, in one phrase. */
export function constraintPhrase(e: ConstraintEntry): string {
  return `*${escInMarks(e.code)}* ${monthRanges(e.months)} ${fmtChange(e.kind, e.value)} (${reasonText(e.reason)})`;
}

/** One constraint's text in the list: what, the comment, who entered it and in which cycle. */
export function constraintText(e: ConstraintEntry): string {
  const comment = e.comment ? ` — “${esc(clip(e.comment, 300))}”` : '';
  const cycle = e.enteredIn ? ` in the ${e.enteredIn} cycle` : '';
  return `*#${e.id}* ${constraintPhrase(e)}${comment}\nEntered by ${person(e.author)}${cycle} · ${esc(clip(e.name, 80))}`;
}

/**
 * The id of constraint `id`'s buttons in a list of `resource`'s (null: every resource's). A
 * click on a private message comes without the message, so the list's resource rides in the
 * block's id, and the list that replaces it after the click is of the same resource.
 */
export function constraintActionsBlockId(id: string, resource: string | null): string {
  return `constraint_actions_${id}${resource === null ? '' : `_on_${resource}`}`;
}

/** The resource a clicked list was of, from its buttons' block id; null: every resource's. */
export function listedResource(blockId: string): string | null {
  return /^constraint_actions_\d+_on_(.+)$/.exec(blockId)?.[1] ?? null;
}

function constraintBlocks(
  e: ConstraintEntry,
  text: string,
  canAct: boolean,
  resource: string | null,
): types.KnownBlock[] {
  const section: types.KnownBlock = {
    type: 'section',
    block_id: `constraint_${e.id}`,
    text: mrkdwn(text),
  };
  if (!canAct) return [section];
  return [
    section,
    {
      type: 'actions',
      block_id: constraintActionsBlockId(e.id, resource),
      elements: [
        {
          type: 'button',
          action_id: CONSTRAINT_RESOLVE,
          text: plain('Resolve'),
          style: 'primary',
          value: e.id,
        },
        { type: 'button', action_id: CONSTRAINT_WITHDRAW, text: plain('Withdraw'), value: e.id },
      ],
    },
  ];
}

/** What one constraint's blocks take as JSON besides its text, at most (ids of 18 digits). */
const perConstraintJson = (canAct: boolean, resource: string | null): number =>
  JSON.stringify(
    constraintBlocks(
      {
        id: '9'.repeat(18),
        code: '',
        name: '',
        months: [],
        kind: 'set',
        value: 0,
        reason: '',
        comment: null,
        author: '',
        enteredIn: null,
      },
      '',
      canAct,
      resource,
    ),
  ).length;

export interface ConstraintListOptions {
  /** May the reader resolve and withdraw (POLICY's capacity.update)? Else no buttons. */
  readonly canAct: boolean;
  /** What a click just did (mrkdwn), shown above the list. */
  readonly notice?: string;
}

/**
 * The open constraints, one section each (with Resolve and Withdraw when the reader may act),
 * as many whole ones as Slack takes, then how many more; none open says so and what comes next.
 */
export function constraintListMessage(
  list: ConstraintList,
  opts: ConstraintListOptions,
): { text: string; blocks: types.KnownBlock[] } {
  const n = list.entries.length;
  const resource = list.resource ?? null;
  const on = resource === null ? '' : ` on ${esc(resource)}`;
  const about = list.cycleMonth
    ? list.cycleOpen
      ? ` for the plans of the ${list.cycleMonth} cycle`
      : ` from ${list.cycleMonth} on (no cycle is open)`
    : '';
  const head =
    n === 0
      ? `No open capacity constraints${on}${about}.`
      : `*Open capacity constraints${on}${about}: ${n}*`;
  /** Under a list of one resource's: how to see the rest. */
  const all = resource === null ? '' : " `/sop constraints` lists every resource's.";
  const blocks: types.KnownBlock[] = [];
  if (opts.notice) blocks.push({ type: 'section', text: mrkdwn(opts.notice) });
  blocks.push({ type: 'section', text: mrkdwn(head) });
  if (n === 0) {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `A capacity update that leaves a resource less capacity than before (\`/capacity\`) is a constraint: every plan for its months uses it until it is resolved or withdrawn here.${all}`,
        ),
      ],
    });
    return { text: stripped(opts.notice, head), blocks };
  }
  const help = opts.canAct
    ? '*Resolve* when it happened and no longer limits the capacity; *Withdraw* when it was entered by mistake or cancelled. Either way the plan is recomputed without it.'
    : 'Operations, planners and admins resolve or withdraw these.';
  blocks.push({ type: 'context', elements: [mrkdwn(`${help}${all}`)] });

  const texts = list.entries.map(constraintText);
  const overhead = perConstraintJson(opts.canAct, resource);
  const used = JSON.stringify(blocks).length + 200;
  const more = (k: number) => hiddenLine(list.entries.slice(n - k), resource, opts.canAct);
  const fitted = fitLines(
    texts,
    {
      chars: MESSAGE_BLOCKS_CHARS - used,
      lines: CONSTRAINTS_LISTED,
      size: (s) => (s === '' ? 0 : jsonChars(s) + overhead),
      separator: '',
    },
    more,
  );
  const shown = fitted.lines.length - (fitted.hidden > 0 ? 1 : 0);
  list.entries.slice(0, shown).forEach((e, i) => {
    blocks.push(...constraintBlocks(e, texts[i] ?? '', opts.canAct, resource));
  });
  if (fitted.hidden > 0) blocks.push({ type: 'context', elements: [mrkdwn(more(fitted.hidden))] });
  return { text: stripped(opts.notice, `Open capacity constraints${on}${about}: ${n}`), blocks };
}

/** The resources a cut list names at most under it; past them it counts the rest. */
const HIDDEN_RESOURCES_NAMED = 8;
/** The numbers a cut list of one resource's names at most under it. */
const HIDDEN_NUMBERS_NAMED = 5;

/** "A, B and C", or "A, B, … and 4 other resources" past `max` (one past it is named). */
function namesAnd(names: readonly string[], max: number, others: (k: number) => string): string {
  if (names.length > max + 1)
    return `${names.slice(0, max).join(', ')} and ${others(names.length - max)}`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The line under a cut list: how many more, which (every resource's list: the resources they
 * are on, and `/sop constraints <resource>`, which lists one resource's; one resource's: their
 * numbers and months), and what to do. `hidden` are the constraints left out, in order.
 */
function hiddenLine(
  hidden: readonly ConstraintEntry[],
  resource: string | null,
  canAct: boolean,
): string {
  const k = hidden.length;
  const noun = k === 1 ? 'constraint' : 'constraints';
  if (resource === null) {
    const codes = [...new Set(hidden.map((e) => e.code))];
    const on = namesAnd(codes.map(escInMarks), HIDDEN_RESOURCES_NAMED, (r) =>
      r === 1 ? '1 other resource' : `${r} other resources`,
    );
    const first = esc(codeSpan(`/sop constraints ${codes[0] ?? ''}`));
    const where =
      codes.length === 1
        ? `type ${first} to list that resource's`
        : `type \`/sop constraints <resource>\` to list one resource's, e.g. ${first}`;
    return andMore(k, `${noun} on ${on}`, where);
  }
  const numbers = namesAnd(
    hidden.map((e) => `#${e.id} ${monthRanges(e.months)}`),
    HIDDEN_NUMBERS_NAMED,
    (r) => `${r} more`,
  );
  return andMore(
    k,
    `${noun} on ${escInMarks(resource)} (${numbers})`,
    canAct
      ? '`/sop constraints resolve <number>` closes one that is over, `/sop constraints withdraw <number>` one entered by mistake'
      : 'ask an operations member',
  );
}

/**
 * The message's `text` (notifications, screen readers): the notice and the head, without the
 * message's own bold (`notificationText`), typed marks kept.
 */
function stripped(notice: string | undefined, head: string): string {
  return notificationText(clipMrkdwn([notice, head].filter(Boolean).join(' '), 3000));
}

const STATUS_WORD: Readonly<Record<ConstraintClosed['status'], string>> = {
  resolved: 'Resolved',
  withdrawn: 'Withdrawn',
};

/**
 * What a Resolve or Withdraw did, for the person who clicked (`viewer`), in the company's
 * `zone`: done and the recompute asked for, or done already by whom and when.
 */
export function constraintClosedNotice(r: ConstraintClosed, viewer: string, zone: string): string {
  const what = `#${r.entry.id} ${constraintPhrase(r.entry)}`;
  if (!r.changed) {
    const who = r.by ? (r.by === viewer ? ' by you' : ` by ${person(r.by)}`) : '';
    const when = r.at ? ` on ${slackDate(r.at, zone)}` : '';
    return `:information_source: ${what} was already ${r.status}${who}${when}; nothing changed.`;
  }
  const plan = r.recomputed
    ? `The ${r.recomputed.month} plan is being recomputed without it.`
    : 'No cycle is open, so no plan is recomputed; the next cycle’s plan will not use it.';
  return `:white_check_mark: ${STATUS_WORD[r.status]}: ${what}. ${plan}`;
}

/**
 * The note in the supply summary's thread: who closed which constraint (by name, `nameOf`: the
 * note records it and asks nothing of them), and why if said.
 */
export function constraintClosedNote(
  r: ConstraintClosed,
  note: string | null,
  nameOf: (userId: string) => string = (id) => id,
): string {
  const why = note ? ` — “${esc(clip(note, 200))}”` : '';
  return `${escInMarks(nameOf(r.by ?? ''))} ${r.status} the constraint ${constraintPhrase(r.entry)}${why}`;
}
